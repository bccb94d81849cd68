"""The reviews subgraph's schema."""

from __future__ import annotations

import strawberry

from shared.graphql.schema import build_schema
from shared.settings import Settings
from subgraphs.reviews.graphql.mutations import ReviewsMutation
from subgraphs.reviews.graphql.queries import ReviewsQuery
from subgraphs.reviews.graphql.subscriptions import ReviewsSubscription
from subgraphs.reviews.graphql.types import Product, Review


def create_schema(settings: Settings) -> strawberry.federation.Schema:
    return build_schema(
        settings=settings,
        query=ReviewsQuery,
        mutation=ReviewsMutation,
        subscription=ReviewsSubscription,
        types=[Product, Review],
    )
