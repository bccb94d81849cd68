"""Inventory's part of the purchase saga, driven by the orders subgraph's events.

- ``OrderPaid`` → the order's reservation is committed (units leave the shelf, StockCommitted
  says from which warehouses). If it expired meanwhile (a slow 3-D Secure challenge), the units
  are sold again when the shelf still has them — whole lines from one warehouse by priority,
  all lines or none — else ``StockCommitFailed`` tells orders to get staff to act. Never
  oversells: every take is the same conditional statement reservations use.
- ``OrderCancelled`` → a live reservation is released; a committed one (paid, cancelled before
  shipment) puts its units back on the shelves they came from (RETURNED, once).
- ``ReturnReceived`` → returned lines marked ``restock`` go back on the given warehouse (or the
  first by priority).

Each runs inside the consumer's inbox transaction (once per event); each state change is also a
conditional statement, so a second OrderCancelled for the same order changes nothing either.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

from subgraphs.inventory.domain.events import (
    StockCommitFailed,
    StockReturned,
    availability_events,
)
from subgraphs.inventory.domain.models import MovementKind, ReservationStatus
from subgraphs.inventory.services.commit_reservation import ship_reservation
from subgraphs.inventory.services.release_reservation import give_back
from subgraphs.inventory.uow import InventoryUnitOfWork

log = logging.getLogger(__name__)
CALLER = "orders"
Status = ReservationStatus


async def commit_for_paid_order(
    uow: InventoryUnitOfWork, *, reservation_id: str, order_id: str, at: datetime
) -> None:
    moved = await uow.reservations.transition(
        reservation_id, to=Status.COMMITTED.value, at=at, unexpired=True
    )
    row = await uow.reservations.get(reservation_id)
    if row is None:
        uow.record(
            StockCommitFailed(
                reservation_id=reservation_id, order_id=order_id, reason="RESERVATION_NOT_FOUND"
            )
        )
        return
    if moved:
        await ship_reservation(uow, reservation_id, row.owner, caller=CALLER, at=at)
        return
    if row.status in (Status.COMMITTED, Status.RETURNED):
        return  # done before
    if row.status == Status.RESERVED and await uow.reservations.transition(
        reservation_id, to=Status.EXPIRED.value, at=at, unexpired=False
    ):
        await give_back(uow, reservation_id, row.owner, Status.EXPIRED)
        source = Status.EXPIRED.value
    else:
        source = str(row.status)
    taken = await _take_again(uow, reservation_id)
    if taken is None or not await uow.reservations.move(
        reservation_id, source=source, to=Status.COMMITTED.value, at=at
    ):
        if taken is not None:
            await uow.stock.give_back(taken)
        reason = "RESERVATION_EXPIRED" if source == Status.EXPIRED else "RESERVATION_RELEASED"
        uow.record(
            StockCommitFailed(reservation_id=reservation_id, order_id=order_id, reason=reason)
        )
        return
    await uow.reservations.replace_allocations(reservation_id, taken)
    await ship_reservation(uow, reservation_id, row.owner, caller=CALLER, at=at)
    log.info("expired reservation sold again", extra={"reservation_id": reservation_id})


async def _take_again(
    uow: InventoryUnitOfWork, reservation_id: str
) -> list[tuple[str, str, int]] | None:
    """Reserve the reservation's lines again (whole lines, one warehouse each), or nothing."""
    taken: list[tuple[str, str, int]] = []
    for variant_id, quantity, _backordered in await uow.reservations.lines(reservation_id):
        warehouse_id = await uow.stock.take_whole_line(str(variant_id), int(quantity))
        if warehouse_id is None:
            await uow.stock.give_back(taken)
            return None
        taken.append((str(variant_id), warehouse_id, int(quantity)))
    return taken


async def undo_for_cancelled_order(
    uow: InventoryUnitOfWork, *, reservation_id: str, at: datetime
) -> None:
    if await uow.reservations.transition(
        reservation_id, to=Status.RELEASED.value, at=at, unexpired=False
    ):
        row = await uow.reservations.get(reservation_id)
        await give_back(uow, reservation_id, str(row.owner), Status.RELEASED)
        return
    if await uow.reservations.move(
        reservation_id, source=Status.COMMITTED.value, to=Status.RETURNED.value, at=at
    ):
        allocations = await uow.reservations.allocations(reservation_id)
        await _put_back(uow, allocations, MovementKind.CANCELLATION, reservation_id, at)


async def restock_return(
    uow: InventoryUnitOfWork,
    *,
    return_id: str,
    lines: Sequence[tuple[str, str | None, int]],
    at: datetime,
) -> None:
    fallback = await uow.stock.first_warehouse()
    placed: list[tuple[str, str, int]] = []
    for variant_id, warehouse_id, quantity in lines:
        target = warehouse_id or fallback
        if target is None or quantity <= 0:
            log.warning("return line not restocked", extra={"return_id": return_id})
            continue
        placed.append((variant_id, target, quantity))
    await _put_back(uow, placed, MovementKind.RETURN, return_id, at)


async def _put_back(
    uow: InventoryUnitOfWork,
    allocations: Sequence[tuple[str, str, int]],
    kind: MovementKind,
    reference: str,
    at: datetime,
) -> None:
    if not allocations:
        return
    variants = sorted({v for v, _, _ in allocations})
    before = await uow.stock.available(variants)
    ledger = []
    added: dict[str, int] = defaultdict(int)
    for variant_id, warehouse_id, quantity in allocations:
        on_hand = await uow.stock.put_back(variant_id, warehouse_id, quantity)
        added[variant_id] += quantity
        ledger.append(
            {
                "variant_id": variant_id,
                "warehouse_id": warehouse_id,
                "kind": kind.value,
                "delta": quantity,
                "on_hand_after": on_hand,
                "reason": "order cancelled" if kind == MovementKind.CANCELLATION else "returned",
                "actor": f"service:{CALLER}",
                "reference": reference,
                "created_at": at,
            }
        )
    await uow.movements.record(ledger)
    items = await uow.items.settings(variants)
    for variant_id in variants:
        uow.record(
            *availability_events(
                variant_id,
                before=before[variant_id],
                after=before[variant_id] + added[variant_id],
                threshold=items[variant_id].low_stock_threshold,
            )
        )
    uow.record(
        StockReturned(
            reference=reference,
            kind=kind.value,
            lines=[{"variant_id": v, "warehouse_id": w, "quantity": q} for v, w, q in allocations],
        )
    )
