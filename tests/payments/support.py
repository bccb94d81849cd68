"""Helpers of the payments tests: orders' events, the outbox, the simulator's ledger."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from sqlalchemy import select

from shared.app import SubgraphApp
from shared.events import Envelope, loads
from subgraphs.payments.domain.models import simulator_operations
from subgraphs.payments.services.saga import payment_id_for

ORDER_TOKEN = "order-secret-of-the-guest-0123456789"


def placed(
    token: str = "tok_success",
    *,
    total: str = "42.50",
    gateway: str = "simulator",
    customer_id: str | None = None,
    order_id: str | None = None,
) -> Envelope:
    order_id = order_id or str(uuid.uuid4())
    return Envelope(
        type="OrderPlaced",
        source="orders",
        key=order_id,
        payload={
            "order_id": order_id,
            "number": "1001",
            "checkout_id": f"co-{order_id}",
            "cart_id": f"cart-{order_id}",
            "customer_id": customer_id,
            "email": "ada@example.com",
            "order_token_hash": hashlib.sha256(ORDER_TOKEN.encode()).hexdigest(),
            "reservation_id": f"res-{order_id}",
            "total": total,
            "currency": "EUR",
            "payment": {"gateway": gateway, "token": token},
            "lines": [],
            "placed_at": "2026-11-22T12:00:00+00:00",
        },
    )


def from_orders(kind: str, order_id: str, **payload: Any) -> Envelope:
    return Envelope(
        type=kind, source="orders", key=order_id, payload={"order_id": order_id, **payload}
    )


async def outbox(app: SubgraphApp, event_type: str | None = None) -> list[dict[str, Any]]:
    table = app.infra.tables.outbox
    async with app.infra.database.session() as session:
        rows = (
            await session.execute(select(table.c.event_type, table.c.payload).order_by(table.c.seq))
        ).all()
    return [{"_type": t, **loads(p)} for t, p in rows if event_type in (None, t)]


async def ledger(app: SubgraphApp) -> list[dict[str, Any]]:
    async with app.infra.database.session() as session:
        rows = await session.execute(select(simulator_operations))
        return [dict(r) for r in rows.mappings()]


async def payment_state(uow: Any, order_id: str) -> dict[str, Any]:
    async with uow() as u:
        payment = await u.payments.load(payment_id_for(order_id))
        await u.commit()
    return payment.state
