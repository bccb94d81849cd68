"""GDPR for orders. Tax law (e.g. §147 AO in Germany, 10 years; the EU VAT directive) requires
keeping invoices — what was sold, when, for how much, with which tax — so erasure keeps the
orders and their amounts but replaces the person: email, names, address and phone in the order
and in every event of its stream, and in queued notifications."""

from __future__ import annotations

from typing import Any

from subgraphs.orders.domain.order import Recorded, fold
from subgraphs.orders.uow import OrdersUnitOfWork

ERASED = "erased"
PERSONAL = ("email", "shipping_address", "address", "to", "text")


def _scrub(data: dict[str, Any]) -> dict[str, Any]:
    clean = dict(data)
    if "email" in clean:
        clean["email"] = ERASED
    for key in ("shipping_address", "address"):
        if isinstance(clean.get(key), dict):
            clean[key] = {k: (v if k == "country_code" else ERASED) for k, v in clean[key].items()}
    if "to" in clean:
        clean["to"] = ERASED
    return clean


async def collect_personal_data(uow: OrdersUnitOfWork, customer_id: str) -> dict[str, Any]:
    out = []
    for order_id in await uow.orders.of_customer(customer_id):
        s = fold(order_id, await uow.orders.events(order_id))
        out.append(
            {
                key: s.get(key)
                for key in (
                    "id",
                    "number",
                    "status",
                    "email",
                    "shipping_address",
                    "lines",
                    "total",
                    "currency",
                    "placed_at",
                    "fulfillments",
                    "returns",
                )
            }
        )
    return {"orders": out}


async def anonymize_customer(uow: OrdersUnitOfWork, customer_id: str) -> None:
    ids = await uow.orders.of_customer(customer_id)
    for order_id in ids:
        events = await uow.orders.events(order_id)
        scrubbed = [
            Recorded(
                type=e.type, data=_scrub(dict(e.data)), version=e.version, actor=e.actor, at=e.at
            )
            for e in events
        ]
        await uow.orders.rewrite_events(order_id, scrubbed)
        await uow.orders.replace_projection(order_id, fold(order_id, scrubbed))
    if ids:
        await uow.notifications.anonymize(ids, ERASED)
