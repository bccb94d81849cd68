"""Helpers of the orders tests: the saga's events as other subgraphs publish them."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from shared.app import SubgraphApp
from shared.events import Envelope, loads
from subgraphs.orders.domain.models import notifications
from subgraphs.orders.uow import OrdersUnitOfWork

OrdersUow = Callable[[], OrdersUnitOfWork]
TOKEN = "guest-secret-token-0123456789abcdef"
ADDRESS = {
    "first_name": "Ada",
    "last_name": "Lovelace",
    "company": "",
    "address1": "Unter den Linden 1",
    "address2": "",
    "city": "Berlin",
    "province_code": "",
    "postal_code": "10117",
    "country_code": "DE",
    "phone": "",
}


def completed(
    *,
    order_id: str | None = None,
    customer_id: str | None = None,
    total: str = "63.55",
    lines: list[tuple[str, int, str]] | None = None,
    token: str = TOKEN,
    reservation_id: str | None = None,
) -> Envelope:
    """A CheckoutCompleted (checkout's contract) for a new order."""
    order_id = order_id or str(uuid.uuid4())
    items = lines or [("shirt-m", 2, "20.00"), ("mug", 1, "8.50")]
    return Envelope(
        type="CheckoutCompleted",
        source="checkout",
        key=order_id,
        payload={
            "checkout_id": f"co-{order_id}",
            "cart_id": f"cart-{order_id}",
            "customer_id": customer_id,
            "email": "ada@example.com",
            "reservation_id": reservation_id or f"res-{order_id}",
            "lines": [
                {
                    "variant_id": v,
                    "sku": v.upper(),
                    "name": f"Item {v}",
                    "quantity": q,
                    "unit_price": p,
                    "total": f"{float(p) * q:.2f}",
                    "discount": "0.00",
                }
                for v, q, p in items
            ],
            "shipping_address": ADDRESS,
            "shipping_method": {"id": "m1", "name": "Standard"},
            "shipping_amount": "4.90",
            "subtotal": "48.50",
            "tax": "10.15",
            "prices_include_tax": False,
            "discounts": "0.00",
            "discount_codes": [],
            "gift_cards": "0.00",
            "total": total,
            "currency": "EUR",
            "completed_at": datetime.now(UTC).isoformat(),
            "order_id": order_id,
            "order_token_hash": hashlib.sha256(token.encode()).hexdigest(),
            "payment": {"gateway": "simulator", "token": "tok_success"}
            if total != "0.00"
            else None,
        },
    )


def payment(kind: str, order_id: str, **extra: Any) -> Envelope:
    payload = {"order_id": order_id, "payment_id": f"pay-{order_id}", **extra}
    return Envelope(type=kind, source="payments", key=order_id, payload=payload)


async def outbox(app: SubgraphApp, event_type: str | None = None) -> list[dict[str, Any]]:
    table = app.infra.tables.outbox
    async with app.infra.database.session() as session:
        statement = select(table.c.event_type, table.c.payload).order_by(table.c.seq)
        rows = (await session.execute(statement)).all()
    return [{"_type": t, **loads(p)} for t, p in rows if event_type in (None, t)]


async def queued(app: SubgraphApp) -> list[dict[str, Any]]:
    async with app.infra.database.session() as session:
        rows = await session.execute(select(notifications).order_by(notifications.c.created_at))
        return [dict(r) for r in rows.mappings()]


async def state(uow: OrdersUow, order_id: str) -> dict[str, Any]:
    async with uow() as u:
        order = await u.orders.load(order_id)
        await u.commit()
    return order.state
