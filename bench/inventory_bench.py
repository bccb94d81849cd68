"""``make bench-inventory``: stock reservations per second on PostgreSQL.

Cases, each a closed loop of ``--clients`` concurrent tasks for ``--seconds`` (median of
``--rounds`` rounds), all in this process on the database given by ``--database-url`` (default
``AGORA_TEST_POSTGRES_URL``), in a throw-away schema:

  baseline     a plain single-row conditional ``UPDATE stock … WHERE on_hand - reserved >= 1``,
               one autocommit statement per attempt (the database's floor on one hot row)
  service, 1 per tx     ``reserve_stock`` (the use case: reservation row, conditional UPDATE,
                        lines, allocations, outbox events), one transaction per reservation, on
                        ONE hot SKU and across 1,000 SKUs (a random one per reservation)
  service, batched      the same use case through ``ReservationBatcher`` (group commit: the
                        reservations that arrive while a transaction runs share the next one)
  http/hot     the internal endpoint (batched, as served) ``POST /internal/reservations`` in process (httpx ASGI
               transport, signed as the checkout service), one hot SKU

Prints reservations/s and p50/p95 per case and the ratios to the baseline. Every reservation
must succeed (stock is plentiful); an error fails the run, so a faster but wrong path cannot
pass. Nothing here is asserted in tests: figures are for humans.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from itertools import count

import httpx
import orjson
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from shared.app import SubgraphApp
from shared.auth import SYSTEM, Principal, signed_headers
from shared.bus.memory import InMemoryEventBus
from shared.settings import load_settings
from subgraphs import registry
from subgraphs.inventory.domain.models import LineRequest
from subgraphs.inventory.services.adjust_stock import StockAdjustment, adjust_stock
from subgraphs.inventory.services.create_warehouse import create_warehouse
from subgraphs.inventory.services.reservation_batcher import ReservationBatcher
from subgraphs.inventory.services.reserve_stock import reserve_stock
from subgraphs.inventory.settings import InventorySettings
from subgraphs.inventory.uow import InventoryUnitOfWork

HOT = "hot-sku"
SKUS = [f"sku-{i:04d}" for i in range(1000)]
PLENTY = 900_000_000
NUMBERS = count()  # one sequence for every round: reservation ids are never reused


@dataclass(frozen=True)
class Figure:
    name: str
    done: int
    seconds: float
    latencies_ms: list[float]

    @property
    def rate(self) -> float:
        return self.done / self.seconds

    def pct(self, q: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def closed_loop(
    name: str, op: Callable[[int], Awaitable[None]], *, clients: int, seconds: float
) -> Figure:
    latencies: list[float] = []
    stop_at = time.perf_counter() + seconds

    async def worker() -> None:
        while time.perf_counter() < stop_at:
            started = time.perf_counter()
            await op(next(NUMBERS))
            latencies.append((time.perf_counter() - started) * 1000)

    began = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(clients)))
    return Figure(name, len(latencies), time.perf_counter() - began, latencies)


async def rounds(
    name: str, op: Callable[[int], Awaitable[None]], args: argparse.Namespace
) -> Figure:
    await closed_loop(name, op, clients=args.clients, seconds=min(1.0, args.seconds))  # warm-up
    figures = [
        await closed_loop(name, op, clients=args.clients, seconds=args.seconds)
        for _ in range(args.rounds)
    ]
    return sorted(figures, key=lambda f: f.rate)[len(figures) // 2]


def line(figure: Figure, baseline: Figure | None) -> str:
    ratio = f"   {figure.rate / baseline.rate:5.2f}× baseline" if baseline else ""
    return (
        f"{figure.name:<34} {figure.rate:9.1f} /s   p50 {figure.pct(0.5):7.2f} ms   "
        f"p95 {figure.pct(0.95):7.2f} ms{ratio}"
    )


async def setup(database_url: str, prefix: str, pool_size: int) -> SubgraphApp:
    settings = load_settings(
        {
            "AGORA_ENV": "test",
            "AGORA_DATABASE_URL": database_url,
            "AGORA_DATABASE_SCHEMA_PREFIX": prefix,
            "AGORA_DB_POOL_SIZE": str(pool_size),
        }
    )
    app = registry.factory("inventory")(settings, InMemoryEventBus())
    await app.infra.migrate()
    uow = lambda: app.infra.unit_of_work(InventoryUnitOfWork)  # noqa: E731
    warehouse = await create_warehouse(uow, code="MAIN", name="Main", actor=SYSTEM)
    for variant_id in [HOT, *SKUS]:
        await adjust_stock(
            uow,
            adjustment=StockAdjustment(
                variant_id=variant_id,
                warehouse_id=warehouse.id,
                reason="bench",
                set_on_hand=PLENTY,
            ),
            actor=SYSTEM,
            settings=InventorySettings(),
        )
    return app


async def main_async(args: argparse.Namespace) -> int:
    prefix = f"bench{uuid.uuid4().hex[:8]}_"
    app = await setup(args.database_url, prefix, args.pool_size)
    uow = lambda: app.infra.unit_of_work(InventoryUnitOfWork)  # noqa: E731
    settings = InventorySettings()
    run = uuid.uuid4().hex[:6]
    engine = app.infra.database.engine
    try:
        print(
            f"inventory reservations on PostgreSQL: {args.clients} concurrent clients, pool "
            f"{args.pool_size}, {args.rounds} rounds × {args.seconds:.0f} s (median round)"
        )

        async def baseline(i: int) -> None:
            async with engine.begin() as conn:
                result = await conn.execute(
                    text(
                        "UPDATE stock SET reserved = reserved + 1 WHERE variant_id = :v "
                        "AND on_hand - reserved >= 1"
                    ),
                    {"v": HOT},
                )
                assert result.rowcount == 1  # type: ignore[attr-defined]

        def reserving(variant: Callable[[], str], tag: str) -> Callable[[int], Awaitable[None]]:
            async def op(i: int) -> None:
                await reserve_stock(
                    uow,
                    reservation_id=f"{run}-{tag}-{i}",
                    owner=f"cart-{i}",
                    lines=[LineRequest(variant(), 1)],
                    ttl_seconds=None,
                    caller="bench",
                    settings=settings,
                )

            return op

        client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app.asgi), base_url="http://inventory.bench"
        )
        secret = app.infra.settings.router_secret
        checkout = Principal.service("checkout")

        async def over_http(i: int) -> None:
            body = orjson.dumps(
                {
                    "reservation_id": f"{run}-http-{i}",
                    "owner": f"cart-{i}",
                    "lines": [{"variant_id": HOT, "quantity": 1}],
                    "ttl_seconds": None,
                }
            )
            headers = {"content-type": "application/json"} | signed_headers(secret, checkout, body)
            response = await client.post("/internal/reservations", content=body, headers=headers)
            if response.status_code != 200:
                raise RuntimeError(f"reservation failed: {response.status_code} {response.text}")

        batcher: ReservationBatcher = app.asgi.state.batcher

        def batched(variant: Callable[[], str], tag: str) -> Callable[[int], Awaitable[None]]:
            async def op(i: int) -> None:
                await batcher.reserve(
                    reservation_id=f"{run}-{tag}-{i}",
                    owner=f"cart-{i}",
                    lines=[LineRequest(variant(), 1)],
                    ttl_seconds=None,
                    caller="bench",
                )

            return op

        def any_sku() -> str:
            return random.choice(SKUS)

        base = await rounds("baseline: single-row UPDATE", baseline, args)
        print(line(base, None))
        single = await rounds("service, 1 per tx: hot SKU", reserving(lambda: HOT, "hot"), args)
        print(line(single, base))
        single_1k = await rounds("service, 1 per tx: 1,000 SKUs", reserving(any_sku, "1k"), args)
        print(line(single_1k, base))
        before = batcher.batches
        hot = await rounds("service, batched: hot SKU", batched(lambda: HOT, "bhot"), args)
        print(line(hot, base))
        spread = await rounds("service, batched: 1,000 SKUs", batched(any_sku, "b1k"), args)
        print(line(spread, base))
        made = hot.done + spread.done
        http = await rounds("internal HTTP (in-process): hot SKU", over_http, args)
        print(line(http, base))
        await client.aclose()
        target = 1500
        verdict = "meets" if hot.rate >= target else "MISSES"
        print(
            f"service/hot batched {hot.rate:.0f}/s {verdict} the goal of {target}/s "
            f"(÷ baseline {hot.rate / base.rate:.2f}, ÷ one-per-transaction "
            f"{hot.rate / single.rate:.2f}); http ÷ service batched = {http.rate / hot.rate:.2f}; "
            f"about {made / max(batcher.batches - before, 1):.0f} reservations per transaction "
            f"incl. warm-ups; {os.cpu_count()} cores"
        )
        # the books balance: every reservation made is held by a stock row
        async with engine.connect() as conn:
            reserved = (
                await conn.execute(
                    text("SELECT sum(reserved) FROM stock WHERE variant_id <> :v"), {"v": HOT}
                )
            ).scalar_one()
            allocated = (
                await conn.execute(
                    text(
                        "SELECT coalesce(sum(quantity), 0) FROM reservation_allocations WHERE variant_id <> :v"
                    ),
                    {"v": HOT},
                )
            ).scalar_one()
        assert reserved == allocated, (reserved, allocated)
    finally:
        await app.asgi.state.batcher.close()
        await app.infra.database.dispose()
        cleanup = create_async_engine(args.database_url)
        async with cleanup.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA IF EXISTS "{prefix}inventory" CASCADE'))
        await cleanup.dispose()
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.inventory_bench")
    parser.add_argument("--database-url", default=os.environ.get("AGORA_TEST_POSTGRES_URL"))
    parser.add_argument("--clients", type=int, default=128)
    parser.add_argument("--pool-size", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if not args.database_url:
        print("give --database-url or set AGORA_TEST_POSTGRES_URL (PostgreSQL)", file=sys.stderr)
        return 2
    if args.database_url.startswith(("postgresql://", "postgres://")):
        args.database_url = "postgresql+asyncpg://" + args.database_url.split("://", 1)[1]
    return asyncio.run(main_async(args))


if __name__ == "__main__":
    raise SystemExit(main())
