"""Inventory subscriptions: low-stock and back-in-stock alerts for the admin's live feed (staff with
MANAGE_INVENTORY), from the bus — the StockLow and BackInStock events inventory publishes."""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry
from strawberry.types import Info

from shared.auth import Permission
from shared.graphql.permissions import HasPermission, requires
from subgraphs.inventory.graphql.context import InventoryContext
from subgraphs.inventory.graphql.types import ProductVariant

ALERTS = ["StockLow", "BackInStock"]


@strawberry.type(
    description="A variant's availability crossed its low-stock threshold or came back."
)
class StockAlert:
    type: str = strawberry.field(description="StockLow or BackInStock.")
    variant_id: strawberry.ID
    available: int = strawberry.field(description="Units the shop can sell now.")
    threshold: int | None = strawberry.field(description="The low-stock threshold (StockLow).")

    @strawberry.field(description="The variant (sku, product … from the catalog).")
    def variant(self) -> ProductVariant:
        return ProductVariant(id=self.variant_id)


@strawberry.type(name="Subscription")
class InventorySubscription:
    @strawberry.subscription(
        extensions=requires(HasPermission(Permission.MANAGE_INVENTORY)),
        description="Variants running low or back in stock, as it happens (staff).",
    )
    async def stock_alerts(
        self, info: Info[InventoryContext, None]
    ) -> AsyncGenerator[StockAlert, None]:
        async for envelope in info.context.event_bus().listen(ALERTS):
            p = envelope.payload
            threshold = p.get("threshold")
            yield StockAlert(
                type=envelope.type,
                variant_id=strawberry.ID(str(p["variant_id"])),
                available=int(p["available"]),
                threshold=int(threshold) if threshold is not None else None,
            )
