"""Use case: payment succeeded — the reserved units leave the shelf (on_hand and reserved both
drop), recorded in the movements ledger. Exactly once: the status moves RESERVED → COMMITTED in
one conditional statement (only before expiry); only the transaction that moved it ships."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from subgraphs.inventory.domain.errors import InventoryError, InventoryErrorCode
from subgraphs.inventory.domain.events import StockCommitted
from subgraphs.inventory.domain.models import MovementKind, ReservationStatus, check_identifier
from subgraphs.inventory.services.conflicts import retrying
from subgraphs.inventory.services.release_reservation import give_back
from subgraphs.inventory.settings import InventorySettings
from subgraphs.inventory.uow import InventoryUnitOfWork


async def ship_reservation(
    uow: InventoryUnitOfWork, reservation_id: str, owner: str, *, caller: str, at: datetime
) -> None:
    """The reservation's allocated units leave the shelf, in the ledger, and StockCommitted
    says from which warehouse (the caller just moved its status to COMMITTED)."""
    ledger: list[dict[str, Any]] = []
    shipped: list[dict[str, Any]] = []
    for variant_id, warehouse_id, quantity in await uow.reservations.allocations(reservation_id):
        on_hand = await uow.stock.ship(variant_id, warehouse_id, quantity)
        ledger.append(
            {
                "variant_id": variant_id,
                "warehouse_id": warehouse_id,
                "kind": MovementKind.SALE.value,
                "delta": -quantity,
                "on_hand_after": on_hand,
                "reason": "reservation committed",
                "actor": f"service:{caller}",
                "reference": reservation_id,
                "created_at": at,
            }
        )
        shipped.append(
            {"variant_id": variant_id, "warehouse_id": warehouse_id, "quantity": quantity}
        )
    await uow.movements.record(ledger)
    uow.record(
        StockCommitted(
            reservation_id=reservation_id,
            owner=owner,
            allocations=shipped,
        )
    )


async def commit_reservation(
    uow_factory: Callable[[], InventoryUnitOfWork],
    *,
    reservation_id: str,
    caller: str,
    settings: InventorySettings,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> ReservationStatus:
    """COMMITTED (also when committed before). Raises RESERVATION_EXPIRED when it expired or was
    released (an expired one not yet swept is released on the spot), RESERVATION_NOT_FOUND."""
    check_identifier(reservation_id, "reservation_id")

    async def attempt() -> bool:
        """True when committed (now or before); False when it had expired."""
        async with uow_factory() as uow:
            at = now()
            moved = await uow.reservations.transition(
                reservation_id, to=ReservationStatus.COMMITTED.value, at=at, unexpired=True
            )
            row = await uow.reservations.get(reservation_id)
            if row is None:
                raise InventoryError(
                    InventoryErrorCode.RESERVATION_NOT_FOUND,
                    "No such reservation.",
                    field="reservation_id",
                )
            if moved:
                await ship_reservation(uow, reservation_id, row.owner, caller=caller, at=at)
                await uow.commit()
                return True
            if row.status == ReservationStatus.COMMITTED:
                return True
            if row.status == ReservationStatus.RESERVED and await uow.reservations.transition(
                reservation_id, to=ReservationStatus.EXPIRED.value, at=at, unexpired=False
            ):
                await give_back(uow, reservation_id, row.owner, ReservationStatus.EXPIRED)
                await uow.commit()
            return False

    if not await retrying(attempt, attempts=settings.conflict_retries):
        raise InventoryError(
            InventoryErrorCode.RESERVATION_EXPIRED,
            "This reservation expired or was released; reserve again.",
            field="reservation_id",
        )
    return ReservationStatus.COMMITTED
