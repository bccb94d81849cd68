"""What the inventory subgraph does with events: its part of the purchase saga (see
``services/order_events.py``). Checkout reserves synchronously before payment (see README);
what happens after payment arrives as the orders subgraph's events. Registered in ``HANDLERS``;
each runs once per event (inbox)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

from shared.consumer import EventHandler
from shared.events import Envelope
from subgraphs.inventory.services.order_events import (
    commit_for_paid_order,
    restock_return,
    undo_for_cancelled_order,
)
from subgraphs.inventory.uow import InventoryUnitOfWork


def _now() -> datetime:
    return datetime.now(UTC)


async def order_paid(uow: InventoryUnitOfWork, envelope: Envelope) -> None:
    """OrderPaid (orders) → commit the order's reservation (or sell again, or StockCommitFailed)."""
    payload = envelope.payload
    await commit_for_paid_order(
        uow,
        reservation_id=str(payload["reservation_id"]),
        order_id=str(payload["order_id"]),
        at=_now(),
    )


async def order_cancelled(uow: InventoryUnitOfWork, envelope: Envelope) -> None:
    """OrderCancelled (orders) → release the reservation, or put committed units back."""
    reservation_id = envelope.payload.get("reservation_id")
    if reservation_id:
        await undo_for_cancelled_order(uow, reservation_id=str(reservation_id), at=_now())


async def return_received(uow: InventoryUnitOfWork, envelope: Envelope) -> None:
    """ReturnReceived (orders) → lines marked ``restock`` go back on a shelf."""
    payload = envelope.payload
    lines = [
        (
            str(line["variant_id"]),
            str(line["warehouse_id"]) if line.get("warehouse_id") else None,
            int(line["quantity"]),
        )
        for line in payload.get("lines", [])
        if line.get("restock")
    ]
    await restock_return(uow, return_id=str(payload["return_id"]), lines=lines, at=_now())


HANDLERS: Mapping[str, EventHandler[InventoryUnitOfWork]] = {
    "OrderPaid": order_paid,
    "OrderCancelled": order_cancelled,
    "ReturnReceived": return_received,
}
