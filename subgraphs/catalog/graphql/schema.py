"""The catalog subgraph's schema."""

from __future__ import annotations

import strawberry

from shared.graphql.schema import build_schema
from shared.settings import Settings
from subgraphs.catalog.graphql.mutations import CatalogMutation
from subgraphs.catalog.graphql.queries import CatalogQuery
from subgraphs.catalog.graphql.types import Category, Collection, Product, ProductVariant
from subgraphs.catalog.graphql.uploads import CloseUploads


def create_schema(settings: Settings) -> strawberry.federation.Schema:
    return build_schema(
        settings=settings,
        query=CatalogQuery,
        mutation=CatalogMutation,
        types=[Product, ProductVariant, Category, Collection],
        extra_extensions=[CloseUploads],
    )
