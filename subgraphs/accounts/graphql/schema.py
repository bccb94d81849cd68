"""The accounts subgraph's schema."""

from __future__ import annotations

import strawberry

from shared.graphql.schema import build_schema
from shared.settings import Settings
from subgraphs.accounts.graphql.mutations import AccountsMutation
from subgraphs.accounts.graphql.queries import AccountsQuery
from subgraphs.accounts.graphql.types import Address, Customer


def create_schema(settings: Settings) -> strawberry.federation.Schema:
    return build_schema(
        settings=settings,
        query=AccountsQuery,
        mutation=AccountsMutation,
        types=[Customer, Address],
    )
