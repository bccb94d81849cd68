"""Inventory's part of the purchase saga, fed the orders subgraph's events over the bus: a paid
order commits its reservation (or sells again after expiry, or reports it cannot); a cancelled
order releases stock or puts committed units back once; a received return restocks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from shared.app import SubgraphApp
from shared.bus.memory import InMemoryEventBus
from shared.events import Envelope
from subgraphs.inventory.domain.models import ReservationStatus
from subgraphs.inventory.services.release_reservation import release_reservation
from tests.inventory.support import (
    SETTINGS,
    InventoryUow,
    outbox,
    put_stock,
    reserve,
    stock_rows,
    warehouse,
)


def event(kind: str, **payload: Any) -> Envelope:
    return Envelope(
        type=kind, source="orders", key=str(payload.get("order_id", "")), payload=payload
    )


def paid(reservation_id: str, order_id: str = "o1") -> Envelope:
    return event("OrderPaid", order_id=order_id, reservation_id=reservation_id, number="1001")


def cancelled(reservation_id: str, order_id: str = "o1") -> Envelope:
    return event(
        "OrderCancelled",
        order_id=order_id,
        reservation_id=reservation_id,
        reason="CUSTOMER",
        lines=[],
    )


async def status(uow: InventoryUow, reservation_id: str) -> str:
    async with uow() as u:
        row = await u.reservations.get(reservation_id)
        await u.commit()
    return str(row.status)


async def test_a_paid_order_commits_its_reservation_once_and_says_where_from(
    inventory: SubgraphApp, inventory_uow: InventoryUow, bus: InMemoryEventBus
) -> None:
    a = await warehouse(inventory_uow, "A", priority=1)
    b = await warehouse(inventory_uow, "B", priority=2)
    await put_stock(inventory_uow, "v1", a, 2)
    await put_stock(inventory_uow, "v1", b, 5)
    await reserve(inventory_uow, "r1", {"v1": 7})

    message = paid("r1")
    await bus.publish(message)
    await bus.publish(message)  # redelivered
    await bus.publish(paid("r1"))  # another event for the same order: still once

    assert await status(inventory_uow, "r1") == ReservationStatus.COMMITTED
    assert await stock_rows(inventory, "v1") == {a: (0, 0), b: (0, 0)}
    (committed,) = await outbox(inventory, "StockCommitted")
    assert committed["reservation_id"] == "r1"
    assert sorted((x["warehouse_id"], x["quantity"]) for x in committed["allocations"]) == sorted(
        [(a, 2), (b, 5)]
    )


async def test_an_expired_reservation_is_sold_again_when_the_shelf_still_has_it(
    inventory: SubgraphApp, inventory_uow: InventoryUow, bus: InMemoryEventBus
) -> None:
    a = await warehouse(inventory_uow, "A", priority=1)
    await put_stock(inventory_uow, "v1", a, 5)
    past = datetime.now(UTC) - timedelta(hours=1)
    await reserve(inventory_uow, "r1", {"v1": 3}, ttl_seconds=60, now=lambda: past)

    await bus.publish(paid("r1"))

    assert await status(inventory_uow, "r1") == ReservationStatus.COMMITTED
    assert await stock_rows(inventory, "v1") == {a: (2, 0)}
    assert len(await outbox(inventory, "StockCommitted")) == 1
    assert await outbox(inventory, "StockCommitFailed") == []


async def test_an_expired_reservation_whose_units_were_sold_reports_failure_and_never_oversells(
    inventory: SubgraphApp, inventory_uow: InventoryUow, bus: InMemoryEventBus
) -> None:
    a = await warehouse(inventory_uow, "A", priority=1)
    await put_stock(inventory_uow, "v1", a, 3)
    await put_stock(inventory_uow, "v2", a, 3)
    past = datetime.now(UTC) - timedelta(hours=1)
    await reserve(inventory_uow, "r1", {"v1": 2, "v2": 3}, ttl_seconds=60, now=lambda: past)
    await release_reservation(  # the sweeper
        inventory_uow, reservation_id="r1", settings=SETTINGS, reason=ReservationStatus.EXPIRED
    )
    await reserve(inventory_uow, "r2", {"v2": 2})  # the expired units went to someone else

    await bus.publish(paid("r1", "o9"))

    (failed,) = await outbox(inventory, "StockCommitFailed")
    assert (failed["order_id"], failed["reason"]) == ("o9", "RESERVATION_EXPIRED")
    assert await status(inventory_uow, "r1") == ReservationStatus.EXPIRED
    # Nothing taken for v1 either (all lines or none), r2 untouched.
    assert await stock_rows(inventory, "v1") == {a: (3, 0)}
    assert await stock_rows(inventory, "v2") == {a: (3, 2)}


async def test_an_unknown_reservation_is_reported(
    inventory: SubgraphApp, bus: InMemoryEventBus
) -> None:
    await bus.publish(paid("nope", "o2"))
    (failed,) = await outbox(inventory, "StockCommitFailed")
    assert failed["reason"] == "RESERVATION_NOT_FOUND"
    assert await bus.dead_letters("inventory") == []


async def test_a_cancelled_order_releases_a_live_reservation(
    inventory: SubgraphApp, inventory_uow: InventoryUow, bus: InMemoryEventBus
) -> None:
    a = await warehouse(inventory_uow, "A", priority=1)
    await put_stock(inventory_uow, "v1", a, 5)
    await reserve(inventory_uow, "r1", {"v1": 4})

    await bus.publish(cancelled("r1"))

    assert await status(inventory_uow, "r1") == ReservationStatus.RELEASED
    assert await stock_rows(inventory, "v1") == {a: (5, 0)}


async def test_a_paid_order_cancelled_before_shipment_puts_the_units_back_once(
    inventory: SubgraphApp, inventory_uow: InventoryUow, bus: InMemoryEventBus
) -> None:
    a = await warehouse(inventory_uow, "A", priority=1)
    b = await warehouse(inventory_uow, "B", priority=2)
    await put_stock(inventory_uow, "v1", a, 1)
    await put_stock(inventory_uow, "v1", b, 4)
    await reserve(inventory_uow, "r1", {"v1": 3})  # whole line from B
    await bus.publish(paid("r1"))
    assert await stock_rows(inventory, "v1") == {a: (1, 0), b: (1, 0)}

    await bus.publish(cancelled("r1"))
    await bus.publish(cancelled("r1"))  # a second event for it changes nothing

    assert await status(inventory_uow, "r1") == ReservationStatus.RETURNED
    assert await stock_rows(inventory, "v1") == {a: (1, 0), b: (4, 0)}
    (returned,) = await outbox(inventory, "StockReturned")
    assert returned["kind"] == "CANCELLATION"
    assert returned["lines"] == [{"variant_id": "v1", "warehouse_id": b, "quantity": 3}]


async def test_a_received_return_restocks_only_lines_marked_restock(
    inventory: SubgraphApp, inventory_uow: InventoryUow, bus: InMemoryEventBus
) -> None:
    a = await warehouse(inventory_uow, "A", priority=1)
    b = await warehouse(inventory_uow, "B", priority=2)
    await put_stock(inventory_uow, "v1", a, 1)
    await put_stock(inventory_uow, "v2", b, 0)

    await bus.publish(
        event(
            "ReturnReceived",
            return_id="ret-1",
            order_id="o1",
            lines=[
                {"variant_id": "v1", "quantity": 2, "warehouse_id": None, "restock": True},
                {"variant_id": "v2", "quantity": 1, "warehouse_id": b, "restock": True},
                {"variant_id": "v3", "quantity": 1, "warehouse_id": None, "restock": False},
            ],
        )
    )

    assert await stock_rows(inventory, "v1") == {a: (3, 0)}  # the first warehouse by priority
    assert await stock_rows(inventory, "v2") == {b: (1, 0)}
    assert await stock_rows(inventory, "v3") == {}
    kinds = [e["_type"] for e in await outbox(inventory)]
    assert "BackInStock" in kinds  # v2 came back from 0
