"""Use case: the sweeper releases reservations whose time ran out (each in its own transaction,
through the same exactly-once transition as a release)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from subgraphs.inventory.domain.errors import InventoryError
from subgraphs.inventory.domain.models import ReservationStatus
from subgraphs.inventory.services.release_reservation import release_reservation
from subgraphs.inventory.settings import InventorySettings
from subgraphs.inventory.uow import InventoryUnitOfWork


async def expire_reservations(
    uow_factory: Callable[[], InventoryUnitOfWork],
    *,
    settings: InventorySettings,
    now: Callable[[], datetime],
) -> int:
    """Release up to ``settings.sweep_batch`` expired reservations; how many this call expired."""
    async with uow_factory() as uow:
        due = await uow.reservations.expired_ids(now(), settings.sweep_batch)
    expired = 0
    for reservation_id in due:
        try:
            status = await release_reservation(
                uow_factory,
                reservation_id=reservation_id,
                settings=settings,
                reason=ReservationStatus.EXPIRED,
                now=now,
            )
        except InventoryError:  # committed meanwhile: nothing to give back
            continue
        expired += status == ReservationStatus.EXPIRED
    return expired
