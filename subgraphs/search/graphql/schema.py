"""The search subgraph's schema."""

from __future__ import annotations

import strawberry

from shared.graphql.schema import build_schema
from shared.settings import Settings
from subgraphs.search.graphql.queries import SearchQuery
from subgraphs.search.graphql.types import Product


def create_schema(settings: Settings) -> strawberry.federation.Schema:
    return build_schema(settings=settings, query=SearchQuery, types=[Product])
