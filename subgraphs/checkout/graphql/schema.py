"""The checkout subgraph's schema."""

from __future__ import annotations

import strawberry
from strawberry.tools import merge_types

from shared.graphql.schema import build_schema
from shared.settings import Settings
from subgraphs.checkout.graphql.mutations import CartMutation
from subgraphs.checkout.graphql.queries import CheckoutQuery
from subgraphs.checkout.graphql.setup_mutations import SetupMutation
from subgraphs.checkout.graphql.setup_queries import SetupQuery
from subgraphs.checkout.graphql.types import Cart, Customer, Order, ProductVariant

Query = merge_types("Query", (CheckoutQuery, SetupQuery))
Mutation = merge_types("Mutation", (CartMutation, SetupMutation))


def create_schema(settings: Settings) -> strawberry.federation.Schema:
    return build_schema(
        settings=settings,
        query=Query,
        mutation=Mutation,
        types=[Cart, Customer, Order, ProductVariant],
    )
