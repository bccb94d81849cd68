"""Inventory input types."""

from __future__ import annotations

from datetime import date

import strawberry


@strawberry.input(description="A new warehouse.")
class WarehouseCreateInput:
    code: str = strawberry.field(description="Short unique code, e.g. BER-1.")
    name: str
    priority: int = strawberry.field(default=100, description="Lower is allocated first.")
    active: bool = True


@strawberry.input(description="A change of on-hand stock: give delta or setOnHand, and why.")
class StockAdjustInput:
    variant_id: strawberry.ID
    warehouse_id: strawberry.ID
    reason: str = strawberry.field(
        description="Why (received, counted, damaged …); kept in the ledger."
    )
    delta: int | None = strawberry.field(default=None, description="Units to add (or remove, < 0).")
    set_on_hand: int | None = strawberry.field(default=None, description="The counted figure.")


@strawberry.input(description="A variant's backorder policy and low-stock threshold.")
class InventoryItemUpdateInput:
    variant_id: strawberry.ID
    allow_backorder: bool | None = None
    backorder_eta: date | None = None
    low_stock_threshold: int | None = strawberry.field(
        default=None, description="StockLow is published when availability falls to this."
    )
