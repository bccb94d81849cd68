"""The Notification port (embedded adapter: the ``notifications`` table, listed by
``python -m subgraphs orders-notifications``; the notifications subgraph will deliver them by
email/SMS later). Messages are queued in the transaction that changed the order, once per order
and kind, so a redelivered event never mails twice."""

from __future__ import annotations

from datetime import datetime

from subgraphs.orders.domain.order import Order, money, new_id
from subgraphs.orders.uow import OrdersUnitOfWork


def _lines(order: Order) -> str:
    cur = order.state["currency"]
    return "\n".join(
        f"  {x['quantity']} × {x['name']} ({x['sku']})  {money(x['total']) - money(x.get('discount') or 0)} {cur}"
        for x in order.state["lines"]
    )


async def queue_confirmation(uow: OrdersUnitOfWork, order: Order, at: datetime) -> None:
    s = order.state
    if not s.get("email"):
        return
    body = (
        f"Thank you for your order #{s['number']}.\n\n{_lines(order)}\n\n"
        f"Shipping: {money(s['shipping_amount'])} {s['currency']}\n"
        f"Tax: {money(s['tax'])} {s['currency']}\n"
        f"Discounts: -{money(s['discounts'])} {s['currency']}\n"
        f"Paid: {money(s['paid_amount'])} {s['currency']}\n"
    )
    queued = await uow.notifications.queue(
        {
            "id": new_id(),
            "order_id": order.id,
            "kind": "order_confirmation",
            "recipient": s["email"],
            "subject": f"Your order #{s['number']} is confirmed",
            "body": body,
            "status": "QUEUED",
            "created_at": at,
        }
    )
    if queued:
        order.record("ConfirmationQueued", {"to": s["email"]}, actor="system:orders", at=at)


async def queue_shipped(
    uow: OrdersUnitOfWork, order: Order, fulfillment: dict[str, object], at: datetime
) -> None:
    s = order.state
    if not s.get("email"):
        return
    await uow.notifications.queue(
        {
            "id": new_id(),
            "order_id": order.id,
            "kind": f"order_shipped:{fulfillment['id']}",
            "recipient": s["email"],
            "subject": f"Your order #{s['number']} is on its way",
            "body": (
                f"Parcel {fulfillment.get('tracking_number')} ({fulfillment.get('carrier')}): "
                f"{fulfillment.get('tracking_url')}\n"
            ),
            "status": "QUEUED",
            "created_at": at,
        }
    )
