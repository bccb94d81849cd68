"""Zero oversell, proven (SECURITY.md battery item 1).

≥ 200 concurrent buyers race for the last K units, through the use case and (fewer) through the
internal HTTP endpoint, repeated, on SQLite and PostgreSQL: exactly K succeed, no row is
oversold, and the stock's reserved count equals what the reservations hold. The negative control
runs the same race through an UNSAFE read-then-write path that lives only in this module: it
oversells, which proves the race really happens and these assertions would see it.
"""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select, update

from shared.app import SubgraphApp
from subgraphs.inventory.domain.errors import InventoryError, InventoryErrorCode
from subgraphs.inventory.domain.models import LineRequest
from subgraphs.inventory.repository import stock
from subgraphs.inventory.services.reservation_batcher import ReservationBatcher
from tests.inventory.support import (
    InternalClient,
    InventoryUow,
    allocated_total,
    put_stock,
    reserve,
    stock_rows,
    warehouse,
)

BUYERS = 200
LAST_UNITS = 50
RUNS = [1, 2, 3]


async def _buy(uow: InventoryUow, buyer: int, lines: dict[str, int]) -> bool:
    try:
        await reserve(uow, f"race-{buyer}", lines, owner=f"cart-{buyer}")
    except InventoryError as exc:
        if exc.code != InventoryErrorCode.INSUFFICIENT_STOCK:
            raise
        return False
    return True


async def _assert_not_oversold(app: SubgraphApp, variant_id: str, sold: int) -> None:
    rows = await stock_rows(app, variant_id)
    assert all(on_hand - reserved >= 0 for on_hand, reserved in rows.values()), rows
    assert sum(reserved for _, reserved in rows.values()) == sold
    assert await allocated_total(app, variant_id) == sold


@pytest.mark.parametrize("run", RUNS)
async def test_last_units_one_warehouse(
    inventory: SubgraphApp, inventory_uow: InventoryUow, run: int
) -> None:
    wh = await warehouse(inventory_uow, "A")
    await put_stock(inventory_uow, "hot", wh, LAST_UNITS)

    results = await asyncio.gather(*(_buy(inventory_uow, b, {"hot": 1}) for b in range(BUYERS)))

    assert sum(results) == LAST_UNITS
    await _assert_not_oversold(inventory, "hot", LAST_UNITS)


@pytest.mark.parametrize("run", RUNS)
async def test_last_units_spread_over_warehouses_with_split_lines(
    inventory: SubgraphApp, inventory_uow: InventoryUow, run: int
) -> None:
    """Buyers ask for 1 to 3 units from stock spread over three warehouses, so lines are split
    while others take the same rows: what is sold is exactly what was there, never more."""
    for code, units in (("A", 20), ("B", 20), ("C", 10)):
        await put_stock(inventory_uow, "hot", await warehouse(inventory_uow, code), units)
    wanted = [1 + (b * 7 + run) % 3 for b in range(BUYERS)]

    results = await asyncio.gather(
        *(_buy(inventory_uow, b, {"hot": q}) for b, q in enumerate(wanted))
    )

    sold = sum(q for q, ok in zip(wanted, results, strict=True) if ok)
    rows = await stock_rows(inventory, "hot")
    assert sold <= LAST_UNITS
    assert LAST_UNITS - sold < 3  # a refused buyer asked for more than was left
    await _assert_not_oversold(inventory, "hot", sold)
    assert sum(on_hand for on_hand, _ in rows.values()) == LAST_UNITS


@pytest.mark.parametrize("run", RUNS)
async def test_multi_line_reservations_are_all_or_nothing_under_the_race(
    inventory: SubgraphApp, inventory_uow: InventoryUow, run: int
) -> None:
    """Each buyer wants one of each; the scarcer variant decides: exactly K buyers get both,
    and the plentiful variant holds exactly K reserved too (no half reservations)."""
    wh = await warehouse(inventory_uow, "A")
    await put_stock(inventory_uow, "scarce", wh, LAST_UNITS)
    await put_stock(inventory_uow, "plenty", wh, LAST_UNITS + 100)

    results = await asyncio.gather(
        *(_buy(inventory_uow, b, {"scarce": 1, "plenty": 1}) for b in range(BUYERS))
    )

    assert sum(results) == LAST_UNITS
    await _assert_not_oversold(inventory, "scarce", LAST_UNITS)
    await _assert_not_oversold(inventory, "plenty", LAST_UNITS)


@pytest.mark.parametrize("run", RUNS)
async def test_last_units_through_the_batcher(
    inventory: SubgraphApp, inventory_uow: InventoryUow, run: int
) -> None:
    """Group commit: many reservations share a transaction; refused ones give back inside it.
    Mixed quantities and two lines per buyer over two warehouses, so batches hold refusals."""
    batcher: ReservationBatcher = inventory.asgi.state.batcher
    a, b = await warehouse(inventory_uow, "A", priority=1), await warehouse(inventory_uow, "B")
    await put_stock(inventory_uow, "hot", a, 30)
    await put_stock(inventory_uow, "hot", b, 20)
    await put_stock(inventory_uow, "side", a, 500)
    wanted = [1 + (n * 5 + run) % 3 for n in range(BUYERS)]

    async def buy(buyer: int, quantity: int) -> bool:
        try:
            await batcher.reserve(
                reservation_id=f"batched-{buyer}",
                owner=f"cart-{buyer}",
                lines=[LineRequest("side", 1), LineRequest("hot", quantity)],
                ttl_seconds=None,
                caller="checkout",
            )
        except InventoryError as exc:
            if exc.code != InventoryErrorCode.INSUFFICIENT_STOCK:
                raise
            return False
        return True

    results = await asyncio.gather(*(buy(n, q) for n, q in enumerate(wanted)))

    sold = sum(q for q, ok in zip(wanted, results, strict=True) if ok)
    assert LAST_UNITS - 3 < sold <= LAST_UNITS
    await _assert_not_oversold(inventory, "hot", sold)
    await _assert_not_oversold(inventory, "side", sum(results))  # refused buyers hold no side
    assert batcher.batches < BUYERS  # they really shared transactions


@pytest.mark.parametrize("run", [1, 2])
async def test_last_units_through_the_internal_http_endpoint(
    inventory: SubgraphApp, inventory_uow: InventoryUow, internal: InternalClient, run: int
) -> None:
    buyers, units = 60, 20
    wh = await warehouse(inventory_uow, "A")
    await put_stock(inventory_uow, "hot", wh, units)

    async def buy(buyer: int) -> int:
        response = await internal.post(
            "/internal/reservations",
            {
                "reservation_id": f"http-{buyer}",
                "owner": f"cart-{buyer}",
                "lines": [{"variant_id": "hot", "quantity": 1}],
                "ttl_seconds": None,
            },
        )
        return response.status_code

    statuses = await asyncio.gather(*(buy(b) for b in range(buyers)))

    assert statuses.count(200) == units
    assert statuses.count(409) == buyers - units
    await _assert_not_oversold(inventory, "hot", units)


# ------------------------------------------------------------------------------------------------
# Negative control: the unsafe pattern, here only — never in the product code.


async def _unsafe_reserve(app: SubgraphApp, variant_id: str, warehouse_id: str) -> bool:
    """Read available, yield to the loop, then write what was read plus one: a lost update."""
    where = (stock.c.variant_id == variant_id, stock.c.warehouse_id == warehouse_id)
    async with app.infra.database.session() as session:
        on_hand, reserved = (
            await session.execute(select(stock.c.on_hand, stock.c.reserved).where(*where))
        ).one()
        if on_hand - reserved < 1:
            return False
        await asyncio.sleep(0)  # any await between the read and the write opens the race
        await session.execute(update(stock).where(*where).values(reserved=reserved + 1))
        await session.commit()
        return True


@pytest.mark.parametrize("run", [1, 2])
async def test_negative_control_read_then_write_oversells(
    inventory: SubgraphApp, inventory_uow: InventoryUow, run: int
) -> None:
    wh = await warehouse(inventory_uow, "A")
    await put_stock(inventory_uow, "hot", wh, LAST_UNITS)

    results = await asyncio.gather(*(_unsafe_reserve(inventory, "hot", wh) for _ in range(BUYERS)))

    sold = sum(results)
    _, reserved = (await stock_rows(inventory, "hot"))[wh]
    assert sold > LAST_UNITS, "the unsafe path did not oversell: the race test cannot see races"
    assert reserved < sold  # the row shows fewer units reserved than buyers were told they got
