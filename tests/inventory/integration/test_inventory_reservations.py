"""Reservations through the use cases: allocation by priority, split, backorder, all-or-nothing,
idempotent retries, commit, release, expiry by the sweeper, and the events they record."""

from __future__ import annotations

import asyncio
from datetime import date

import pytest

from shared.app import SubgraphApp
from subgraphs.inventory.domain.errors import InventoryError, InventoryErrorCode
from subgraphs.inventory.domain.models import (
    Allocation,
    LineRequest,
    ReservationStatus,
    ReservationView,
)
from subgraphs.inventory.services.commit_reservation import commit_reservation
from subgraphs.inventory.services.release_reservation import release_reservation
from subgraphs.inventory.services.reservation_batcher import BatcherClosed, ReservationBatcher
from subgraphs.inventory.sweeper import ReservationSweeper
from tests.inventory.support import (
    SETTINGS,
    Clock,
    InventoryUow,
    backorderable,
    outbox,
    put_stock,
    reserve,
    stock_rows,
    warehouse,
)


async def test_a_line_comes_whole_from_the_first_warehouse_by_priority_that_holds_it(
    inventory: SubgraphApp, inventory_uow: InventoryUow
) -> None:
    first = await warehouse(inventory_uow, "A", priority=1)
    second = await warehouse(inventory_uow, "B", priority=2)
    await put_stock(inventory_uow, "v1", first, 2)
    await put_stock(inventory_uow, "v1", second, 5)

    small = await reserve(inventory_uow, "r1", {"v1": 2})
    assert small.lines[0].allocations == (Allocation(first, 2),)
    whole = await reserve(inventory_uow, "r2", {"v1": 4})  # A is empty now: B holds it whole
    assert whole.lines[0].allocations == (Allocation(second, 4),)
    assert await stock_rows(inventory, "v1") == {first: (2, 2), second: (5, 4)}


async def test_a_line_no_warehouse_covers_alone_is_split_by_priority(
    inventory: SubgraphApp, inventory_uow: InventoryUow
) -> None:
    a = await warehouse(inventory_uow, "A", priority=1)
    b = await warehouse(inventory_uow, "B", priority=2)
    c = await warehouse(inventory_uow, "C", priority=3)
    for wh in (a, b, c):
        await put_stock(inventory_uow, "v1", wh, 3)

    reservation = await reserve(inventory_uow, "r1", {"v1": 7})

    assert reservation.lines[0].allocations == (
        Allocation(a, 3),
        Allocation(b, 3),
        Allocation(c, 1),
    )
    assert reservation.lines[0].backordered == 0
    assert await stock_rows(inventory, "v1") == {a: (3, 3), b: (3, 3), c: (3, 1)}


async def test_inactive_warehouses_are_not_allocated_from(
    inventory: SubgraphApp, inventory_uow: InventoryUow
) -> None:
    closed = await warehouse(inventory_uow, "OLD", priority=0, active=False)
    open_ = await warehouse(inventory_uow, "NEW", priority=5)
    await put_stock(inventory_uow, "v1", closed, 10)
    await put_stock(inventory_uow, "v1", open_, 1)

    with pytest.raises(InventoryError) as refused:
        await reserve(inventory_uow, "r1", {"v1": 2})
    assert refused.value.shortages[0].available == 1


async def test_all_lines_or_none(inventory: SubgraphApp, inventory_uow: InventoryUow) -> None:
    wh = await warehouse(inventory_uow, "A")
    await put_stock(inventory_uow, "v1", wh, 5)
    await put_stock(inventory_uow, "v2", wh, 1)

    with pytest.raises(InventoryError) as refused:
        await reserve(inventory_uow, "r1", {"v1": 3, "v2": 2, "v3": 1})

    assert refused.value.code == InventoryErrorCode.INSUFFICIENT_STOCK
    assert [(s.variant_id, s.requested, s.available) for s in refused.value.shortages] == [
        ("v2", 2, 1),
        ("v3", 1, 0),
    ]
    assert await stock_rows(inventory, "v1") == {wh: (5, 0)}  # v1 fitted, yet nothing is held
    assert await outbox(inventory, "StockReserved") == []
    # the id was not used up: the same id reserves once the lines fit
    assert (await reserve(inventory_uow, "r1", {"v1": 3})).status == ReservationStatus.RESERVED


async def test_backorders_take_what_is_there_and_report_the_rest(
    inventory: SubgraphApp, inventory_uow: InventoryUow
) -> None:
    wh = await warehouse(inventory_uow, "A")
    await put_stock(inventory_uow, "v1", wh, 2)
    await backorderable(inventory_uow, "v1", date(2026, 12, 24))
    await backorderable(inventory_uow, "v2")

    reservation = await reserve(inventory_uow, "r1", {"v1": 5, "v2": 1})

    v1, v2 = reservation.lines
    assert (v1.quantity, v1.allocations, v1.backordered) == (5, (Allocation(wh, 2),), 3)
    assert (v2.quantity, v2.allocations, v2.backordered) == (1, (), 1)
    assert await stock_rows(inventory, "v1") == {wh: (2, 2)}
    reserved_event = (await outbox(inventory, "StockReserved"))[0]
    assert reserved_event["lines"] == [
        {"variant_id": "v1", "quantity": 5, "backordered": 3},
        {"variant_id": "v2", "quantity": 1, "backordered": 1},
    ]


async def test_a_retry_with_the_same_id_and_lines_reserves_once(
    inventory: SubgraphApp, inventory_uow: InventoryUow
) -> None:
    wh = await warehouse(inventory_uow, "A")
    await put_stock(inventory_uow, "v1", wh, 10)

    first = await reserve(inventory_uow, "r1", {"v1": 3})
    again = await reserve(inventory_uow, "r1", {"v1": 3})

    assert again == first
    assert await stock_rows(inventory, "v1") == {wh: (10, 3)}
    with pytest.raises(InventoryError) as reused:
        await reserve(inventory_uow, "r1", {"v1": 4})
    assert reused.value.code == InventoryErrorCode.IDEMPOTENCY_KEY_REUSED


@pytest.mark.parametrize(
    ("lines", "code"),
    [
        ({}, InventoryErrorCode.REQUIRED),
        ({"v1": 0}, InventoryErrorCode.INVALID),
        ({"v1": -2}, InventoryErrorCode.INVALID),
        ({"bad id!": 1}, InventoryErrorCode.INVALID),
    ],
)
async def test_bad_lines_are_refused_with_a_code(
    inventory_uow: InventoryUow, lines: dict[str, int], code: InventoryErrorCode
) -> None:
    with pytest.raises(InventoryError) as refused:
        await reserve(inventory_uow, "r1", lines)
    assert refused.value.code == code


async def test_commit_ships_once(inventory: SubgraphApp, inventory_uow: InventoryUow) -> None:
    wh = await warehouse(inventory_uow, "A")
    await put_stock(inventory_uow, "v1", wh, 10)
    await reserve(inventory_uow, "r1", {"v1": 4})

    for _ in range(3):
        status = await commit_reservation(
            inventory_uow, reservation_id="r1", caller="checkout", settings=SETTINGS
        )
        assert status == ReservationStatus.COMMITTED

    assert await stock_rows(inventory, "v1") == {wh: (6, 0)}
    assert len(await outbox(inventory, "StockCommitted")) == 1
    with pytest.raises(InventoryError) as refused:
        await release_reservation(inventory_uow, reservation_id="r1", settings=SETTINGS)
    assert refused.value.code == InventoryErrorCode.RESERVATION_COMMITTED


async def test_release_gives_back_once(inventory: SubgraphApp, inventory_uow: InventoryUow) -> None:
    wh = await warehouse(inventory_uow, "A")
    await put_stock(inventory_uow, "v1", wh, 10)
    await reserve(inventory_uow, "r1", {"v1": 4})

    for _ in range(3):
        assert (
            await release_reservation(inventory_uow, reservation_id="r1", settings=SETTINGS)
            == ReservationStatus.RELEASED
        )

    assert await stock_rows(inventory, "v1") == {wh: (10, 0)}
    assert len(await outbox(inventory, "StockReleased")) == 1
    with pytest.raises(InventoryError) as refused:
        await commit_reservation(
            inventory_uow, reservation_id="r1", caller="checkout", settings=SETTINGS
        )
    assert refused.value.code == InventoryErrorCode.RESERVATION_EXPIRED


async def test_unknown_reservations_are_not_found(inventory_uow: InventoryUow) -> None:
    with pytest.raises(InventoryError) as refused:
        await commit_reservation(
            inventory_uow, reservation_id="nope", caller="checkout", settings=SETTINGS
        )
    assert refused.value.code == InventoryErrorCode.RESERVATION_NOT_FOUND


async def test_the_sweeper_releases_expired_reservations(
    inventory: SubgraphApp, inventory_uow: InventoryUow, clock: Clock
) -> None:
    wh = await warehouse(inventory_uow, "A")
    await put_stock(inventory_uow, "v1", wh, 10)
    await reserve(inventory_uow, "short", {"v1": 2}, ttl_seconds=60, now=clock)
    await reserve(inventory_uow, "default", {"v1": 3}, now=clock)  # 15 minutes
    sweeper = ReservationSweeper(inventory_uow, SETTINGS, clock=clock)

    assert await sweeper.run_once() == 0
    clock.advance(61)
    assert await sweeper.run_once() == 1
    assert await stock_rows(inventory, "v1") == {wh: (10, 3)}
    clock.advance(15 * 60)
    assert await sweeper.run_once() == 1
    assert await sweeper.run_once() == 0
    assert await stock_rows(inventory, "v1") == {wh: (10, 0)}
    released = await outbox(inventory, "StockReleased")
    assert [(e["reservation_id"], e["reason"]) for e in released] == [
        ("short", "EXPIRED"),
        ("default", "EXPIRED"),
    ]


async def test_committing_an_expired_reservation_is_refused_and_frees_it(
    inventory: SubgraphApp, inventory_uow: InventoryUow, clock: Clock
) -> None:
    wh = await warehouse(inventory_uow, "A")
    await put_stock(inventory_uow, "v1", wh, 10)
    await reserve(inventory_uow, "r1", {"v1": 2}, ttl_seconds=60, now=clock)
    clock.advance(60)

    with pytest.raises(InventoryError) as refused:
        await commit_reservation(
            inventory_uow, reservation_id="r1", caller="checkout", settings=SETTINGS, now=clock
        )

    assert refused.value.code == InventoryErrorCode.RESERVATION_EXPIRED
    assert await stock_rows(inventory, "v1") == {wh: (10, 0)}  # released without the sweeper
    assert (
        await release_reservation(inventory_uow, reservation_id="r1", settings=SETTINGS)
        == ReservationStatus.EXPIRED
    )


async def test_the_sweeper_runs_between_start_and_stop(inventory: SubgraphApp) -> None:
    sweeper: ReservationSweeper = inventory.asgi.state.sweeper
    await inventory.start()
    try:
        assert sweeper.running
    finally:
        await inventory.stop()
    assert not sweeper.running


async def test_availability_events(inventory: SubgraphApp, inventory_uow: InventoryUow) -> None:
    wh = await warehouse(inventory_uow, "A")
    await put_stock(inventory_uow, "v1", wh, 8)  # 0 → 8: back in stock
    await reserve(inventory_uow, "r1", {"v1": 3})  # 8 → 5: low (threshold 5)
    await reserve(inventory_uow, "r2", {"v1": 5})  # 5 → 0
    await release_reservation(inventory_uow, reservation_id="r2", settings=SETTINGS)  # 0 → 5

    events = [
        (e["_type"], e.get("available"))
        for e in await outbox(inventory)
        if e["_type"] in {"StockChanged", "StockLow", "BackInStock"}
    ]
    assert events == [
        ("StockChanged", 8),
        ("BackInStock", 8),
        ("StockChanged", 5),
        ("StockLow", 5),
        ("StockChanged", 0),
        ("StockChanged", 5),
        ("BackInStock", 5),
    ]


async def test_concurrent_retries_of_one_reservation_reserve_once(
    inventory: SubgraphApp, inventory_uow: InventoryUow
) -> None:
    """SECURITY battery item 2: one side effect per key under concurrent retries."""
    wh = await warehouse(inventory_uow, "A")
    await put_stock(inventory_uow, "v1", wh, 10)

    answers = await asyncio.gather(*(reserve(inventory_uow, "r1", {"v1": 3}) for _ in range(20)))

    assert all(a == answers[0] for a in answers)
    assert await stock_rows(inventory, "v1") == {wh: (10, 3)}
    assert len(await outbox(inventory, "StockReserved")) == 1


async def test_the_batcher_never_puts_one_id_twice_in_a_batch(
    inventory: SubgraphApp, inventory_uow: InventoryUow
) -> None:
    wh = await warehouse(inventory_uow, "A")
    await put_stock(inventory_uow, "v1", wh, 10)
    batcher: ReservationBatcher = inventory.asgi.state.batcher

    async def same() -> ReservationView:
        return await batcher.reserve(
            reservation_id="r1",
            owner="cart-1",
            lines=[LineRequest("v1", 2)],
            ttl_seconds=None,
            caller="checkout",
        )

    answers = await asyncio.gather(*(same() for _ in range(10)))

    assert all(a == answers[0] for a in answers)
    assert await stock_rows(inventory, "v1") == {wh: (10, 2)}


async def test_a_closed_batcher_refuses_new_work(inventory: SubgraphApp) -> None:
    batcher: ReservationBatcher = inventory.asgi.state.batcher
    await batcher.close()
    with pytest.raises(BatcherClosed):
        await batcher.reserve(
            reservation_id="r1",
            owner="c",
            lines=[LineRequest("v1", 1)],
            ttl_seconds=None,
            caller="x",
        )
