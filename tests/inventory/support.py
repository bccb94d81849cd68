"""Helpers for the inventory tests: warehouses and stock set up through the use cases, a clock
the tests move, stock read back, the outbox read, and a signed client of the internal API."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import orjson
from sqlalchemy import func, select

from shared.app import SubgraphApp
from shared.auth import SYSTEM, Principal, signed_headers
from shared.events import loads
from subgraphs.inventory.domain.models import LineRequest, ReservationView
from subgraphs.inventory.repository import allocations_table, stock
from subgraphs.inventory.services.adjust_stock import StockAdjustment, adjust_stock
from subgraphs.inventory.services.create_warehouse import create_warehouse
from subgraphs.inventory.services.reserve_stock import reserve_stock
from subgraphs.inventory.services.update_item import update_item
from subgraphs.inventory.settings import InventorySettings
from subgraphs.inventory.uow import InventoryUnitOfWork

InventoryUow = Callable[[], InventoryUnitOfWork]
SETTINGS = InventorySettings()
CHECKOUT = Principal.service("checkout")


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 11, 22, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


async def warehouse(
    uow: InventoryUow, code: str, *, priority: int = 100, active: bool = True
) -> str:
    created = await create_warehouse(
        uow, code=code, name=f"Warehouse {code}", priority=priority, active=active, actor=SYSTEM
    )
    return created.id


async def put_stock(uow: InventoryUow, variant_id: str, warehouse_id: str, on_hand: int) -> None:
    await adjust_stock(
        uow,
        adjustment=StockAdjustment(
            variant_id=variant_id, warehouse_id=warehouse_id, reason="test", set_on_hand=on_hand
        ),
        actor=SYSTEM,
        settings=SETTINGS,
    )


async def backorderable(uow: InventoryUow, variant_id: str, eta: date | str | None = None) -> None:
    eta = date.fromisoformat(eta) if isinstance(eta, str) else eta
    await update_item(
        uow, variant_id=variant_id, allow_backorder=True, backorder_eta=eta, actor=SYSTEM
    )


async def reserve(
    uow: InventoryUow,
    reservation_id: str,
    lines: dict[str, int],
    *,
    owner: str = "cart-1",
    ttl_seconds: int | None = None,
    now: Callable[[], datetime] | None = None,
) -> ReservationView:
    kwargs: dict[str, Any] = {} if now is None else {"now": now}
    return await reserve_stock(
        uow,
        reservation_id=reservation_id,
        owner=owner,
        lines=[LineRequest(v, q) for v, q in lines.items()],
        ttl_seconds=ttl_seconds,
        caller="checkout",
        settings=SETTINGS,
        **kwargs,
    )


async def stock_rows(app: SubgraphApp, variant_id: str) -> dict[str, tuple[int, int]]:
    """warehouse id → (on_hand, reserved)."""
    async with app.infra.database.session() as session:
        rows = await session.execute(
            select(stock.c.warehouse_id, stock.c.on_hand, stock.c.reserved).where(
                stock.c.variant_id == variant_id
            )
        )
        return {str(w): (int(o), int(r)) for w, o, r in rows.all()}


async def allocated_total(app: SubgraphApp, variant_id: str) -> int:
    """Units the stored reservations of ``variant_id`` hold (every status)."""
    async with app.infra.database.session() as session:
        total = await session.execute(
            select(func.coalesce(func.sum(allocations_table.c.quantity), 0)).where(
                allocations_table.c.variant_id == variant_id
            )
        )
        return int(total.scalar_one())


async def outbox(app: SubgraphApp, event_type: str | None = None) -> list[dict[str, Any]]:
    """Payloads in the outbox (oldest first), with their type under ``_type``."""
    table = app.infra.tables.outbox
    async with app.infra.database.session() as session:
        statement = select(table.c.event_type, table.c.payload).order_by(table.c.seq)
        if event_type is not None:
            statement = statement.where(table.c.event_type == event_type)
        rows = (await session.execute(statement)).all()
    return [{"_type": t, **loads(p)} for t, p in rows]


class InternalClient:
    """Signed calls to the internal API, as checkout makes them."""

    def __init__(self, app: SubgraphApp, *, principal: Principal = CHECKOUT) -> None:
        self.principal = principal
        self.secret = app.infra.settings.router_secret
        self._client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app.asgi), base_url="http://inventory.test"
        )

    async def post(
        self,
        path: str,
        payload: object = None,
        *,
        principal: Principal | None = None,
        sign: bool = True,
        raw: bytes | None = None,
    ) -> httpx.Response:
        body = raw if raw is not None else orjson.dumps(payload if payload is not None else {})
        headers = {"content-type": "application/json"}
        if sign:
            headers |= signed_headers(self.secret, principal or self.principal, body)
        return await self._client.post(path, content=body, headers=headers)

    async def aclose(self) -> None:
        await self._client.aclose()
