"""Use case: checkout reserves stock for a cart — every line or none.

Each (variant, warehouse) row is taken by ONE conditional UPDATE whose result says whether the
units were there; a line that cannot be covered makes the whole unit of work roll back. Lines
are handled in variant-id order, warehouses in priority order, so concurrent reservations lock
rows in one global order (PostgreSQL deadlocks cannot form; if one does, it is retried).
The caller's reservation id is the idempotency key: the same id with the same lines returns the
stored reservation; with other lines it is refused.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta

from shared.events import DomainEvent
from shared.idempotency import canonical_json
from subgraphs.inventory.domain.errors import InventoryError, InventoryErrorCode, Shortage
from subgraphs.inventory.domain.events import StockReserved, availability_events
from subgraphs.inventory.domain.models import (
    Allocation,
    LineRequest,
    ReservationStatus,
    ReservationView,
    ReservedLine,
    check_identifier,
    check_lines,
)
from subgraphs.inventory.repository import Taken
from subgraphs.inventory.services.conflicts import Contention, retrying
from subgraphs.inventory.services.read_reservation import load_reservation
from subgraphs.inventory.settings import MAX_TTL_SECONDS, InventorySettings
from subgraphs.inventory.uow import InventoryUnitOfWork

STALE_HINT_RETRIES = 20


def request_hash(owner: str, lines: Sequence[LineRequest]) -> str:
    data = {"owner": owner, "lines": [[line.variant_id, line.quantity] for line in lines]}
    return hashlib.sha256(canonical_json(data).encode()).hexdigest()


async def reserve_stock(
    uow_factory: Callable[[], InventoryUnitOfWork],
    *,
    reservation_id: str,
    owner: str,
    lines: Sequence[LineRequest],
    ttl_seconds: int | None,
    caller: str,
    settings: InventorySettings,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> ReservationView:
    """Reserve ``lines`` for ``owner`` (a cart) until the TTL runs out. Raises InventoryError:
    INSUFFICIENT_STOCK (with every short line; nothing reserved), IDEMPOTENCY_KEY_REUSED, or
    INVALID/REQUIRED/DUPLICATE for bad input."""
    check_identifier(reservation_id, "reservation_id")
    check_identifier(owner, "owner")
    ordered = check_lines(list(lines))
    ttl = settings.reservation_ttl_seconds if ttl_seconds is None else ttl_seconds
    if not 1 <= ttl <= MAX_TTL_SECONDS:
        raise InventoryError(
            InventoryErrorCode.INVALID,
            f"ttl_seconds is 1 to {MAX_TTL_SECONDS}.",
            field="ttl_seconds",
        )
    fingerprint = request_hash(owner, ordered)

    async def attempt() -> ReservationView:
        async with uow_factory() as uow:
            at = now()
            expires_at = at + timedelta(seconds=ttl)
            claimed = await uow.reservations.claim(
                {
                    "id": reservation_id,
                    "owner": owner,
                    "caller": caller,
                    "request_hash": fingerprint,
                    "status": ReservationStatus.RESERVED.value,
                    "created_at": at,
                    "expires_at": expires_at,
                }
            )
            if not claimed:
                return await _replay(uow, reservation_id, fingerprint)
            reserved: list[ReservedLine] = []
            shortages: list[Shortage] = []
            events: list[DomainEvent] = []
            for line in ordered:
                outcome = await _reserve_line(uow, line)
                if isinstance(outcome, Shortage):
                    shortages.append(outcome)
                    continue
                reserved_line, line_events = outcome
                reserved.append(reserved_line)
                events.extend(line_events)
            if shortages:
                raise InventoryError(
                    InventoryErrorCode.INSUFFICIENT_STOCK,
                    "Not enough stock for every line; nothing was reserved.",
                    field="lines",
                    shortages=shortages,
                )
            await uow.reservations.add_lines(
                [
                    {
                        "reservation_id": reservation_id,
                        "variant_id": r.variant_id,
                        "quantity": r.quantity,
                        "backordered": r.backordered,
                    }
                    for r in reserved
                ]
            )
            await uow.reservations.add_allocations(
                [
                    {
                        "reservation_id": reservation_id,
                        "variant_id": r.variant_id,
                        "warehouse_id": a.warehouse_id,
                        "quantity": a.quantity,
                    }
                    for r in reserved
                    for a in r.allocations
                ]
            )
            uow.record(
                StockReserved(
                    reservation_id=reservation_id,
                    owner=owner,
                    expires_at=expires_at.isoformat(),
                    lines=[
                        {
                            "variant_id": r.variant_id,
                            "quantity": r.quantity,
                            "backordered": r.backordered,
                        }
                        for r in reserved
                    ],
                ),
                *events,
            )
            await uow.commit()
            return ReservationView(
                id=reservation_id,
                owner=owner,
                status=ReservationStatus.RESERVED,
                expires_at=expires_at,
                lines=tuple(reserved),
            )

    return await retrying(attempt, attempts=settings.conflict_retries)


async def _replay(
    uow: InventoryUnitOfWork, reservation_id: str, fingerprint: str
) -> ReservationView:
    row = await uow.reservations.get(reservation_id)
    if row is None:  # claimed by a transaction that rolled back since: try again
        raise Contention(reservation_id)
    if row.request_hash != fingerprint:
        raise InventoryError(
            InventoryErrorCode.IDEMPOTENCY_KEY_REUSED,
            "This reservation id was used for other lines; use a new id for a new reservation.",
            field="reservation_id",
        )
    return await load_reservation(uow, row)


async def _reserve_line(
    uow: InventoryUnitOfWork, line: LineRequest
) -> tuple[ReservedLine, list[DomainEvent]] | Shortage:
    """Allocate one line: whole from the first warehouse (by priority) that holds it, else split
    over the warehouses in priority order, the rest backordered when the variant allows it."""
    taken = await uow.stock.take_whole_line(line.variant_id, line.quantity)
    if taken is not None:
        return (
            ReservedLine(
                variant_id=line.variant_id,
                quantity=line.quantity,
                allocations=(Allocation(taken.warehouse_id, line.quantity),),
                backordered=0,
            ),
            _events(line.variant_id, line.quantity, taken),
        )
    remaining = line.quantity
    allocations: list[Allocation] = []
    last: Taken | None = None
    for warehouse_id, first_hint in await uow.stock.hints(line.variant_id):
        hint = first_hint
        for _ in range(STALE_HINT_RETRIES):
            if hint <= 0:
                break
            ask = min(remaining, hint)
            got = await uow.stock.take_at(line.variant_id, warehouse_id, ask)
            if got is not None:
                allocations.append(Allocation(warehouse_id, ask))
                remaining -= ask
                last = got
                break
            hint = await uow.stock.row_available(line.variant_id, warehouse_id)
        else:
            raise Contention(line.variant_id)
        if remaining == 0:
            break
    taken_total = line.quantity - remaining
    if remaining > 0:
        item = (await uow.items.settings([line.variant_id]))[line.variant_id]
        if not item.allow_backorder:
            return Shortage(line.variant_id, requested=line.quantity, available=taken_total)
    events = _events(line.variant_id, taken_total, last) if last is not None else []
    return (
        ReservedLine(
            variant_id=line.variant_id,
            quantity=line.quantity,
            allocations=tuple(allocations),
            backordered=remaining,
        ),
        events,
    )


def _events(variant_id: str, taken: int, last: Taken) -> list[DomainEvent]:
    return availability_events(
        variant_id,
        before=last.available_after + taken,
        after=last.available_after,
        threshold=last.threshold,
    )
