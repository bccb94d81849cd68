"""Inventory mutation payloads."""

from __future__ import annotations

from datetime import date

import strawberry

from shared.graphql.types import UserError
from subgraphs.inventory.domain.errors import InventoryError, InventoryErrorCode
from subgraphs.inventory.graphql.types import StockLevel, Warehouse

InventoryErrorCodeEnum = strawberry.enum(
    InventoryErrorCode,
    name="InventoryErrorCode",
    description="Why an inventory mutation refused its input.",
)


@strawberry.type(description="A problem with an inventory mutation's input.")
class InventoryUserError(UserError):
    code: InventoryErrorCodeEnum  # type: ignore[valid-type]

    @classmethod
    def from_domain(cls, error: InventoryError) -> InventoryUserError:
        return cls(
            field=[error.field] if error.field else None, message=error.message, code=error.code
        )


@strawberry.type(description="The created warehouse, or why it was not created.")
class WarehouseCreatePayload:
    warehouse: Warehouse | None
    user_errors: list[InventoryUserError]


@strawberry.type(description="The stock level after the adjustment, or why it was refused.")
class StockAdjustPayload:
    stock_level: StockLevel | None
    user_errors: list[InventoryUserError]


@strawberry.type(description="A variant's inventory settings.")
class InventoryItem:
    variant_id: strawberry.ID
    allow_backorder: bool
    backorder_eta: date | None
    low_stock_threshold: int


@strawberry.type(description="The variant's settings after the change, or why it was refused.")
class InventoryItemUpdatePayload:
    item: InventoryItem | None
    user_errors: list[InventoryUserError]
