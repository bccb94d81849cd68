"""Use case: a reservation gives its stock back — released by the caller (payment failed, cart
abandoned) or expired by the sweeper. Exactly once: the status moves RESERVED → RELEASED/EXPIRED
in one conditional statement, and only the transaction that moved it returns the units."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime

from subgraphs.inventory.domain.errors import InventoryError, InventoryErrorCode
from subgraphs.inventory.domain.events import StockReleased, availability_events
from subgraphs.inventory.domain.models import ReservationStatus, check_identifier
from subgraphs.inventory.services.conflicts import retrying
from subgraphs.inventory.settings import InventorySettings
from subgraphs.inventory.uow import InventoryUnitOfWork


async def give_back(
    uow: InventoryUnitOfWork, reservation_id: str, owner: str, reason: ReservationStatus
) -> None:
    """Return a reservation's allocated units (its status was just moved by this transaction)."""
    allocations = await uow.reservations.allocations(reservation_id)
    await uow.stock.give_back(allocations)
    returned: dict[str, int] = defaultdict(int)
    for variant_id, _, quantity in allocations:
        returned[variant_id] += quantity
    if returned:
        after = await uow.stock.available(sorted(returned))
        items = await uow.items.settings(sorted(returned))
        for variant_id, quantity in sorted(returned.items()):
            uow.record(
                *availability_events(
                    variant_id,
                    before=after[variant_id] - quantity,
                    after=after[variant_id],
                    threshold=items[variant_id].low_stock_threshold,
                )
            )
    uow.record(StockReleased(reservation_id=reservation_id, owner=owner, reason=reason.value))


async def release_reservation(
    uow_factory: Callable[[], InventoryUnitOfWork],
    *,
    reservation_id: str,
    settings: InventorySettings,
    reason: ReservationStatus = ReservationStatus.RELEASED,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> ReservationStatus:
    """RELEASED (or EXPIRED, for the sweeper) — also when it was released before. Raises
    RESERVATION_NOT_FOUND, or RESERVATION_COMMITTED when it was paid for."""
    check_identifier(reservation_id, "reservation_id")

    async def attempt() -> ReservationStatus:
        async with uow_factory() as uow:
            moved = await uow.reservations.transition(
                reservation_id, to=reason.value, at=now(), unexpired=False
            )
            row = await uow.reservations.get(reservation_id)
            if row is None:
                raise InventoryError(
                    InventoryErrorCode.RESERVATION_NOT_FOUND,
                    "No such reservation.",
                    field="reservation_id",
                )
            if moved:
                await give_back(uow, reservation_id, row.owner, reason)
                await uow.commit()
                return reason
            if row.status == ReservationStatus.COMMITTED:
                raise InventoryError(
                    InventoryErrorCode.RESERVATION_COMMITTED,
                    "This reservation was committed; its stock has left.",
                    field="reservation_id",
                )
            return ReservationStatus(row.status)

    return await retrying(attempt, attempts=settings.conflict_retries)
