"""Use case: staff change what is on the shelf (received, counted, written off) — by a delta or
to a counted figure — recorded in the movements ledger with who and why."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from shared.auth import Permission, Principal, require
from shared.idempotency import IdempotencyError, IdempotentRequest
from subgraphs.inventory.domain.errors import InventoryError, InventoryErrorCode
from subgraphs.inventory.domain.events import availability_events
from subgraphs.inventory.domain.models import (
    MAX_ON_HAND,
    MovementKind,
    StockLevelView,
    check_identifier,
    check_reason,
    now,
)
from subgraphs.inventory.services.conflicts import retrying
from subgraphs.inventory.settings import InventorySettings
from subgraphs.inventory.uow import InventoryUnitOfWork

OPERATION = "stockAdjust"  # scopes idempotency keys


@dataclass(frozen=True, slots=True)
class StockAdjustment:
    """Exactly one of ``delta`` and ``set_on_hand``."""

    variant_id: str
    warehouse_id: str
    reason: str
    delta: int | None = None
    set_on_hand: int | None = None


def _check(adjustment: StockAdjustment) -> StockAdjustment:
    check_identifier(adjustment.variant_id, "variantId")
    if (adjustment.delta is None) == (adjustment.set_on_hand is None):
        raise InventoryError(
            InventoryErrorCode.INVALID, "Give either delta or setOnHand.", field="delta"
        )
    if adjustment.delta is not None and not (0 < abs(adjustment.delta) <= MAX_ON_HAND):
        raise InventoryError(
            InventoryErrorCode.INVALID,
            f"delta is a non-zero number of units, at most {MAX_ON_HAND} either way.",
            field="delta",
        )
    if adjustment.set_on_hand is not None and not 0 <= adjustment.set_on_hand <= MAX_ON_HAND:
        raise InventoryError(
            InventoryErrorCode.INVALID, f"setOnHand is 0 to {MAX_ON_HAND}.", field="setOnHand"
        )
    return adjustment


async def adjust_stock(
    uow_factory: Callable[[], InventoryUnitOfWork],
    *,
    adjustment: StockAdjustment,
    actor: Principal,
    settings: InventorySettings,
    idempotency_key: str | None = None,
) -> StockLevelView:
    require(actor, Permission.MANAGE_INVENTORY)
    adjustment = _check(adjustment)
    reason = check_reason(adjustment.reason)
    variant_id, warehouse_id = adjustment.variant_id, adjustment.warehouse_id

    async def attempt() -> StockLevelView:
        async with uow_factory() as uow:
            try:
                request = IdempotentRequest.of(
                    idempotency_key, operation=OPERATION, caller=actor, data=adjustment
                )
                replay = await uow.claim_idempotency_key(request)
            except IdempotencyError as exc:
                raise InventoryError.from_idempotency(exc) from exc
            if replay is not None:
                row = await uow.stock.locked_row(variant_id, warehouse_id)
                assert row is not None
                return row
            warehouse = await uow.warehouses.get(warehouse_id)
            if warehouse is None:
                raise InventoryError(
                    InventoryErrorCode.NOT_FOUND, "No such warehouse.", field="warehouseId"
                )
            await uow.stock.ensure_row(variant_id, warehouse_id)
            row = await uow.stock.locked_row(variant_id, warehouse_id)
            assert row is not None
            target = (
                row.on_hand + adjustment.delta
                if adjustment.delta is not None
                else adjustment.set_on_hand
            )
            assert target is not None
            if target < 0 or target > MAX_ON_HAND:
                raise InventoryError(
                    InventoryErrorCode.INVALID,
                    f"On hand would be {target}; it stays between 0 and {MAX_ON_HAND}.",
                    field="delta" if adjustment.delta is not None else "setOnHand",
                )
            if target < row.reserved or not await uow.stock.set_on_hand(
                variant_id, warehouse_id, target
            ):
                raise InventoryError(
                    InventoryErrorCode.BELOW_RESERVED,
                    f"{row.reserved} units are reserved for carts; on hand cannot go below that.",
                    field="delta" if adjustment.delta is not None else "setOnHand",
                )
            delta = target - row.on_hand
            await uow.movements.record(
                [
                    {
                        "variant_id": variant_id,
                        "warehouse_id": warehouse_id,
                        "kind": MovementKind.ADJUSTMENT.value,
                        "delta": delta,
                        "on_hand_after": target,
                        "reason": reason,
                        "actor": f"{actor.kind}:{actor.id}",
                        "reference": None,
                        "created_at": now(),
                    }
                ]
            )
            if warehouse.active and delta != 0:
                after = (await uow.stock.available([variant_id]))[variant_id]
                item = (await uow.items.settings([variant_id]))[variant_id]
                uow.record(
                    *availability_events(
                        variant_id,
                        before=after - delta,
                        after=after,
                        threshold=item.low_stock_threshold,
                    )
                )
            await uow.commit(
                idempotent_response={"variant_id": variant_id, "warehouse_id": warehouse_id}
            )
            return StockLevelView(variant_id, warehouse_id, target, row.reserved)

    return await retrying(attempt, attempts=settings.conflict_retries)
