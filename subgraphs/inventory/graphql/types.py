"""Inventory GraphQL types; ``ProductVariant`` is the catalog's entity, extended with availability."""

from __future__ import annotations

from datetime import date, datetime

import strawberry
from strawberry.types import Info

from shared.graphql.dataloaders import then
from subgraphs.inventory.domain.models import Availability, StockLevelView, WarehouseView
from subgraphs.inventory.graphql.context import InventoryContext
from subgraphs.inventory.graphql.dataloaders import AvailabilityLoader, WarehouseByIdLoader


@strawberry.type(
    name="VariantAvailability", description="Whether and how much of a variant can be bought now."
)
class VariantAvailability:
    in_stock: bool = strawberry.field(
        description="True when units are available, or the variant takes backorders."
    )
    quantity_available: int = strawberry.field(
        description="Units available now over every active warehouse (never negative)."
    )
    backorder_eta: date | None = strawberry.field(
        description="When backordered units are expected, if the variant takes backorders."
    )

    @classmethod
    def of(cls, availability: Availability) -> VariantAvailability:
        return cls(
            in_stock=availability.in_stock,
            quantity_available=max(availability.available, 0),
            backorder_eta=availability.backorder_eta if availability.allow_backorder else None,
        )


@strawberry.federation.type(keys=["id"], description="A variant, as the inventory knows it.")
class ProductVariant:
    id: strawberry.ID

    @strawberry.field(description="Stock the shop can sell now.")
    def availability(self, info: Info[InventoryContext, None]) -> VariantAvailability:
        loaded = info.context.loaders.get(AvailabilityLoader).load(str(self.id))
        return then(loaded, VariantAvailability.of)

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> ProductVariant:
        # Nothing to load for the key itself: availability batches through AvailabilityLoader.
        return cls(id=id)


@strawberry.type(description="A place stock is kept and shipped from.")
class Warehouse:
    id: strawberry.ID
    code: str = strawberry.field(description="Short unique code, e.g. BER-1.")
    name: str
    priority: int = strawberry.field(description="Lower is allocated first.")
    active: bool = strawberry.field(description="Inactive warehouses are not allocated from.")

    @classmethod
    def from_view(cls, view: WarehouseView) -> Warehouse:
        return cls(
            id=strawberry.ID(view.id),
            code=view.code,
            name=view.name,
            priority=view.priority,
            active=view.active,
        )

    @classmethod
    def from_optional(cls, view: WarehouseView | None) -> Warehouse | None:
        return cls.from_view(view) if view is not None else None


@strawberry.type(description="Stock of one variant in one warehouse (staff).")
class StockLevel:
    variant_id: strawberry.ID
    on_hand: int = strawberry.field(description="Units on the shelf.")
    reserved: int = strawberry.field(description="Units promised to carts, not yet paid for.")
    available: int = strawberry.field(description="onHand − reserved.")
    warehouse_id: strawberry.Private[str]

    @strawberry.field(description="Where the stock is kept.")
    def warehouse(self, info: Info[InventoryContext, None]) -> Warehouse | None:
        loaded = info.context.loaders.get(WarehouseByIdLoader).load(self.warehouse_id)
        return then(loaded, Warehouse.from_optional)

    @classmethod
    def from_view(cls, view: StockLevelView) -> StockLevel:
        return cls(
            variant_id=strawberry.ID(view.variant_id),
            on_hand=view.on_hand,
            reserved=view.reserved,
            available=view.available,
            warehouse_id=view.warehouse_id,
        )


@strawberry.type(description="One change of on-hand stock in the ledger (staff).")
class StockMovement:
    variant_id: strawberry.ID
    warehouse_id: strawberry.ID
    kind: str = strawberry.field(
        description="ADJUSTMENT (staff) or SALE (a committed reservation)."
    )
    delta: int
    on_hand_after: int
    reason: str
    actor: str = strawberry.field(description="Who made the change (kind:id).")
    reference: str | None = strawberry.field(description="The reservation of a sale.")
    created_at: datetime
