"""Reading a stored reservation back (idempotent replays of reserve, commit and release)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from subgraphs.inventory.domain.models import (
    Allocation,
    ReservationStatus,
    ReservationView,
    ReservedLine,
)
from subgraphs.inventory.uow import InventoryUnitOfWork


async def load_reservation(uow: InventoryUnitOfWork, row: Any) -> ReservationView:
    """The reservation of ``row`` (a ``reservations`` row) with its lines and allocations."""
    allocations: dict[str, list[Allocation]] = defaultdict(list)
    for variant_id, warehouse_id, quantity in await uow.reservations.allocations(row.id):
        allocations[variant_id].append(Allocation(warehouse_id, quantity))
    lines = tuple(
        ReservedLine(
            variant_id=variant_id,
            quantity=quantity,
            allocations=tuple(allocations[variant_id]),
            backordered=backordered,
        )
        for variant_id, quantity, backordered in await uow.reservations.lines(row.id)
    )
    return ReservationView(
        id=row.id,
        owner=row.owner,
        status=ReservationStatus(row.status),
        expires_at=row.expires_at,
        lines=lines,
    )
