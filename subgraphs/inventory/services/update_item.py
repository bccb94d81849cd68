"""Use case: staff set a variant's backorder policy and low-stock threshold."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from shared.auth import Permission, Principal, require
from subgraphs.inventory.domain.errors import InventoryError, InventoryErrorCode
from subgraphs.inventory.domain.models import MAX_ON_HAND, check_identifier
from subgraphs.inventory.repository import ItemSettings
from subgraphs.inventory.uow import InventoryUnitOfWork


async def update_item(
    uow_factory: Callable[[], InventoryUnitOfWork],
    *,
    variant_id: str,
    allow_backorder: bool | None = None,
    backorder_eta: date | None = None,
    low_stock_threshold: int | None = None,
    actor: Principal,
) -> ItemSettings:
    """Fields left as None keep their value (``backorder_eta`` is cleared when backorders are
    turned off)."""
    require(actor, Permission.MANAGE_INVENTORY)
    check_identifier(variant_id, "variantId")
    if low_stock_threshold is not None and not 0 <= low_stock_threshold <= MAX_ON_HAND:
        raise InventoryError(
            InventoryErrorCode.INVALID,
            f"lowStockThreshold is 0 to {MAX_ON_HAND}.",
            field="lowStockThreshold",
        )
    async with uow_factory() as uow:
        current = (await uow.items.settings([variant_id]))[variant_id]
        backorder = current.allow_backorder if allow_backorder is None else allow_backorder
        eta = backorder_eta if backorder_eta is not None else current.backorder_eta
        updated = ItemSettings(
            allow_backorder=backorder,
            backorder_eta=eta if backorder else None,
            low_stock_threshold=(
                current.low_stock_threshold if low_stock_threshold is None else low_stock_threshold
            ),
        )
        await uow.items.save(variant_id, updated)
        await uow.commit()
    return updated
