"""The orders subgraph's schema."""

from __future__ import annotations

import strawberry

from shared.graphql.schema import build_schema
from shared.settings import Settings
from subgraphs.orders.graphql.mutations import OrdersMutation
from subgraphs.orders.graphql.queries import OrdersQuery
from subgraphs.orders.graphql.subscriptions import OrdersSubscription
from subgraphs.orders.graphql.types import Customer, Order, ProductVariant


def create_schema(settings: Settings) -> strawberry.federation.Schema:
    return build_schema(
        settings=settings,
        query=OrdersQuery,
        mutation=OrdersMutation,
        subscription=OrdersSubscription,
        types=[Customer, Order, ProductVariant],
    )
