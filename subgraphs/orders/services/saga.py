"""The orders subgraph's part of the purchase saga: each function handles one event from
another subgraph inside the consumer's inbox transaction (so each event applies once) and
records what follows, through the outbox.

CheckoutCompleted → the order (PENDING) and OrderPlaced (payments charges it; a total of zero is
paid at once). PaymentCaptured → PAID and OrderPaid (inventory commits the stock), then the
confirmation is queued for the customer. PaymentFailed → CANCELLED (reason PAYMENT_FAILED) and
OrderCancelled (inventory releases the stock, checkout reopens the cart). Every handler checks
the order's state first: a duplicate, late or out-of-order event that no longer applies changes
nothing (e.g. a capture arriving after a cancellation is recorded and refunded, never "paid").

Events always arrive after the order exists (payments and inventory only act on what orders
published after creating it); one for an unknown order is logged and dropped.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from subgraphs.orders.domain.events import OrderCancelled, OrderPaid, OrderPlaced, RefundRequested
from subgraphs.orders.domain.order import (
    ZERO,
    CancelReason,
    Order,
    OrderStatus,
    PaymentStatus,
    money,
    new_id,
)
from subgraphs.orders.services.notify import queue_confirmation
from subgraphs.orders.uow import OrdersUnitOfWork

log = logging.getLogger(__name__)
SYSTEM = "system:saga"


def cancelled_event(order: Order) -> OrderCancelled:
    s = order.state
    return OrderCancelled(
        order_id=order.id,
        number=s["number"],
        checkout_id=s.get("checkout_id") or "",
        cart_id=s.get("cart_id") or "",
        customer_id=s.get("customer_id"),
        reservation_id=s.get("reservation_id") or "",
        reason=s.get("cancel_reason") or CancelReason.STAFF.value,
        payment_code=s.get("payment_code"),
        paid=money(s["paid_amount"]) > ZERO,
        lines=[{"variant_id": x["variant_id"], "quantity": int(x["quantity"])} for x in s["lines"]],
        cancelled_at=s.get("cancelled_at") or "",
    )


def paid_event(order: Order) -> OrderPaid:
    s = order.state
    return OrderPaid(
        order_id=order.id,
        number=s["number"],
        reservation_id=s.get("reservation_id") or "",
        payment_id=s["payment"].get("payment_id"),
        amount=str(money(s["paid_amount"])),
        currency=s["currency"],
        customer_id=s.get("customer_id"),
        email=s.get("email") or "",
        paid_at=s.get("paid_at") or "",
    )


async def place_order(uow: OrdersUnitOfWork, payload: Mapping[str, Any], at: datetime) -> None:
    """CheckoutCompleted → a PENDING order with the checkout's id for it (once per order id)."""
    order_id = str(payload.get("order_id") or "")
    if not order_id:
        log.warning(
            "CheckoutCompleted without an order id", extra={"checkout": payload.get("checkout_id")}
        )
        return
    order = await uow.orders.load(order_id)
    if order.exists or await uow.orders.id_by_checkout(str(payload["checkout_id"])):
        return
    number = await uow.orders.next_number()
    payment = payload.get("payment") or None
    lines = [
        {
            "variant_id": str(x["variant_id"]),
            "sku": str(x.get("sku") or ""),
            "name": str(x.get("name") or ""),
            "quantity": int(x["quantity"]),
            "unit_price": str(x["unit_price"]),
            "total": str(x["total"]),
            "discount": str(x.get("discount") or "0"),
        }
        for x in payload.get("lines", [])
    ]
    order.record(
        "OrderPlaced",
        {
            "number": number,
            "checkout_id": str(payload["checkout_id"]),
            "cart_id": str(payload.get("cart_id") or ""),
            "customer_id": payload.get("customer_id"),
            "email": str(payload.get("email") or ""),
            "token_hash": str(payload.get("order_token_hash") or ""),
            "reservation_id": str(payload.get("reservation_id") or ""),
            "currency": str(payload["currency"]),
            "lines": lines,
            "shipping_address": dict(payload.get("shipping_address") or {}),
            "shipping_method": dict(payload.get("shipping_method") or {}),
            "subtotal": str(payload.get("subtotal") or "0"),
            "shipping_amount": str(payload.get("shipping_amount") or "0"),
            "tax": str(payload.get("tax") or "0"),
            "prices_include_tax": bool(payload.get("prices_include_tax")),
            "discounts": str(payload.get("discounts") or "0"),
            "discount_codes": list(payload.get("discount_codes") or []),
            "gift_cards": str(payload.get("gift_cards") or "0"),
            "total": str(payload["total"]),
            "gateway": payment.get("gateway") if isinstance(payment, Mapping) else None,
        },
        actor="system:checkout",
        at=at,
    )
    s = order.state
    uow.record(
        OrderPlaced(
            order_id=order.id,
            number=number,
            checkout_id=s["checkout_id"],
            cart_id=s["cart_id"],
            customer_id=s.get("customer_id"),
            email=s["email"],
            order_token_hash=s["token_hash"],
            reservation_id=s["reservation_id"],
            total=str(money(s["total"])),
            currency=s["currency"],
            payment=dict(payment) if isinstance(payment, Mapping) else None,
            lines=[
                {k: x[k] for k in ("variant_id", "sku", "name", "quantity", "unit_price", "total")}
                for x in lines
            ],
            placed_at=at.isoformat(),
        )
    )
    if order.payment_status == PaymentStatus.NOT_REQUIRED:  # gift cards paid it all
        order.record("NoteAdded", {"text": "Paid in full by gift card."}, actor=SYSTEM, at=at)
        uow.record(paid_event(order))
        await queue_confirmation(uow, order, at)
    await uow.orders.save(order)


async def _existing(uow: OrdersUnitOfWork, order_id: str, event: str) -> Order | None:
    order = await uow.orders.load(order_id)
    if not order.exists:
        log.warning(
            "event for an unknown order dropped", extra={"order_id": order_id, "event": event}
        )
        return None
    return order


async def payment_action_required(
    uow: OrdersUnitOfWork, payload: Mapping[str, Any], at: datetime
) -> None:
    order = await _existing(uow, str(payload["order_id"]), "PaymentActionRequired")
    if order is None or order.payment_status != PaymentStatus.PENDING:
        return
    if order.status == OrderStatus.CANCELLED:
        return
    order.record(
        "PaymentActionRequired",
        {
            "payment_id": payload.get("payment_id"),
            "action_type": payload.get("action_type"),
            "action_url": payload.get("action_url"),
        },
        actor="system:payments",
        at=at,
    )
    await uow.orders.save(order)


async def payment_authorized(
    uow: OrdersUnitOfWork, payload: Mapping[str, Any], at: datetime
) -> None:
    order = await _existing(uow, str(payload["order_id"]), "PaymentAuthorized")
    if order is None or order.status == OrderStatus.CANCELLED:
        return
    if order.payment_status not in (PaymentStatus.PENDING, PaymentStatus.ACTION_REQUIRED):
        return
    order.record(
        "PaymentAuthorized",
        {"payment_id": payload.get("payment_id"), "amount": str(payload.get("amount"))},
        actor="system:payments",
        at=at,
    )
    await uow.orders.save(order)


async def payment_captured(uow: OrdersUnitOfWork, payload: Mapping[str, Any], at: datetime) -> None:
    """PaymentCaptured → PAID, OrderPaid, the confirmation queued. A capture for a cancelled
    order (the cancellation won the race) is recorded and refunded in full: never lost money,
    never a paid cancelled order."""
    order = await _existing(uow, str(payload["order_id"]), "PaymentCaptured")
    if order is None:
        return
    if order.payment_status in (
        PaymentStatus.PAID,
        PaymentStatus.PARTIALLY_REFUNDED,
        PaymentStatus.REFUNDED,
    ):
        return  # a duplicate capture report
    amount = str(money(payload.get("amount") or 0))
    data = {
        "payment_id": payload.get("payment_id"),
        "amount": amount,
        "provider_reference": payload.get("provider_reference"),
    }
    if order.status == OrderStatus.CANCELLED:
        order.record("OrderPaid", data, actor="system:payments", at=at)
        refund_id = new_id()
        order.record(
            "RefundRequested",
            {
                "refund_id": refund_id,
                "amount": data["amount"],
                "reason": "captured after the order was cancelled",
            },
            actor=SYSTEM,
            at=at,
        )
        uow.record(
            RefundRequested(
                refund_id=refund_id,
                order_id=order.id,
                amount=amount,
                currency=order.state["currency"],
                reason="captured after the order was cancelled",
            )
        )
        await uow.orders.save(order)
        return
    order.record("OrderPaid", data, actor="system:payments", at=at)
    uow.record(paid_event(order))
    await queue_confirmation(uow, order, at)
    await uow.orders.save(order)


async def payment_failed(uow: OrdersUnitOfWork, payload: Mapping[str, Any], at: datetime) -> None:
    """PaymentFailed → CANCELLED (PAYMENT_FAILED with the payment's code): stock released,
    the cart reopened; "try again later" when the provider was down."""
    order = await _existing(uow, str(payload["order_id"]), "PaymentFailed")
    if order is None or order.status != OrderStatus.PENDING:
        return
    if order.payment_status not in (
        PaymentStatus.PENDING,
        PaymentStatus.ACTION_REQUIRED,
        PaymentStatus.AUTHORIZED,
    ):
        return
    order.record(
        "PaymentFailed",
        {
            "payment_id": payload.get("payment_id"),
            "code": payload.get("code"),
            "message": payload.get("message"),
            "retryable": bool(payload.get("retryable")),
        },
        actor="system:payments",
        at=at,
    )
    order.record(
        "OrderCancelled", {"reason": CancelReason.PAYMENT_FAILED.value}, actor=SYSTEM, at=at
    )
    uow.record(cancelled_event(order))
    await uow.orders.save(order)


async def payment_voided(uow: OrdersUnitOfWork, payload: Mapping[str, Any], at: datetime) -> None:
    order = await _existing(uow, str(payload["order_id"]), "PaymentVoided")
    if order is None:
        return
    order.record(
        "PaymentVoided", {"payment_id": payload.get("payment_id")}, actor="system:payments", at=at
    )
    await uow.orders.save(order)


async def refund_succeeded(uow: OrdersUnitOfWork, payload: Mapping[str, Any], at: datetime) -> None:
    order = await _existing(uow, str(payload["order_id"]), "RefundSucceeded")
    if order is None:
        return
    refund_id = payload.get("refund_id")
    if refund_id and any(
        r["id"] == refund_id and r["status"] == "SUCCEEDED" for r in order.state["refunds"]
    ):
        return
    order.record(
        "RefundSucceeded",
        {"refund_id": refund_id, "amount": str(money(payload["amount"]))},
        actor="system:payments",
        at=at,
    )
    await uow.orders.save(order)


async def refund_failed(uow: OrdersUnitOfWork, payload: Mapping[str, Any], at: datetime) -> None:
    order = await _existing(uow, str(payload["order_id"]), "RefundFailed")
    if order is None:
        return
    order.record(
        "RefundFailed",
        {k: payload.get(k) for k in ("refund_id", "code", "message", "amount")},
        actor="system:payments",
        at=at,
    )
    await uow.orders.save(order)


async def dispute_opened(uow: OrdersUnitOfWork, payload: Mapping[str, Any], at: datetime) -> None:
    order = await _existing(uow, str(payload["order_id"]), "DisputeOpened")
    if order is None:
        return
    order.record(
        "DisputeOpened",
        {
            "dispute_id": payload.get("dispute_id"),
            "amount": payload.get("amount"),
            "reason": payload.get("reason"),
            "status": "OPEN",
        },
        actor="system:payments",
        at=at,
    )
    await uow.orders.save(order)


async def stock_committed(uow: OrdersUnitOfWork, payload: Mapping[str, Any], at: datetime) -> None:
    """StockCommitted (inventory; by reservation id) → where each line ships from."""
    order_id = await uow.orders.id_by_reservation(str(payload["reservation_id"]))
    if order_id is None:
        return  # a reservation of no order (e.g. committed through the internal API)
    order = await uow.orders.load(order_id)
    if order.state.get("stock_committed"):
        return
    order.record(
        "StockCommitted",
        {"allocations": [dict(a) for a in payload.get("allocations", [])]},
        actor="system:inventory",
        at=at,
    )
    await uow.orders.save(order)


async def stock_commit_failed(
    uow: OrdersUnitOfWork, payload: Mapping[str, Any], at: datetime
) -> None:
    """StockCommitFailed → the order is flagged for staff (refund or backorder)."""
    order = await _existing(uow, str(payload["order_id"]), "StockCommitFailed")
    if order is None or order.state.get("stock_issue"):
        return
    order.record(
        "StockCommitFailed", {"reason": payload.get("reason")}, actor="system:inventory", at=at
    )
    await uow.orders.save(order)
