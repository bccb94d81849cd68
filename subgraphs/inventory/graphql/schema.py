"""The inventory subgraph's schema."""

from __future__ import annotations

import strawberry

from shared.graphql.schema import build_schema
from shared.settings import Settings
from subgraphs.inventory.graphql.mutations import InventoryMutation
from subgraphs.inventory.graphql.queries import InventoryQuery
from subgraphs.inventory.graphql.subscriptions import InventorySubscription
from subgraphs.inventory.graphql.types import ProductVariant


def create_schema(settings: Settings) -> strawberry.federation.Schema:
    return build_schema(
        settings=settings,
        query=InventoryQuery,
        mutation=InventoryMutation,
        subscription=InventorySubscription,
        types=[ProductVariant],
    )
