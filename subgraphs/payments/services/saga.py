"""The payments subgraph's part of the purchase saga: consumers that record what the processor
must do (inside the inbox transaction — no provider call here), then wake it.

OrderPlaced → a payment REQUESTED (one per order; a total of zero needs none). OrderCancelled →
CancelRequested: an authorization is voided, a capture refunded in full (a payment that already
failed needs nothing). RefundRequested (orders) → a refund of that amount, never more than
captured minus refunded (else RefundFailed REFUND_EXCEEDS_CAPTURED at once).
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from subgraphs.payments.domain.events import PaymentVoided, RefundFailed
from subgraphs.payments.domain.payment import PaymentState, money
from subgraphs.payments.domain.provider import DeclineCode
from subgraphs.payments.uow import PaymentsUnitOfWork

log = logging.getLogger(__name__)
NAMESPACE = uuid.UUID("0f1e6a3c-4f5b-4a7e-9b2d-3c4d5e6f7a8b")


def payment_id_for(order_id: str) -> str:
    """One payment per order, the same id on every redelivery."""
    return str(uuid.uuid5(NAMESPACE, order_id))


async def request_payment(
    uow: PaymentsUnitOfWork, payload: Mapping[str, Any], at: datetime
) -> None:
    order_id = str(payload["order_id"])
    total = money(payload.get("total") or 0)
    payment = payload.get("payment") or {}
    if total <= 0 or not isinstance(payment, Mapping):
        return
    found = await uow.payments.load(payment_id_for(order_id))
    if found.exists:
        return
    found.record(
        "PaymentRequested",
        {
            "order_id": order_id,
            "order_number": payload.get("number"),
            "customer_id": payload.get("customer_id"),
            "token_hash": payload.get("order_token_hash"),
            "email": payload.get("email"),
            "gateway": str(payment.get("gateway") or "simulator"),
            "token": str(payment.get("token") or ""),
            "amount": str(total),
            "currency": str(payload["currency"]),
        },
        at,
    )
    await uow.payments.save(found, now=at)


async def cancel_payment(uow: PaymentsUnitOfWork, payload: Mapping[str, Any], at: datetime) -> None:
    payment = await uow.payments.load(payment_id_for(str(payload["order_id"])))
    if not payment.exists or payment.state.get("cancel_requested"):
        return
    if payment.status in (PaymentState.FAILED, PaymentState.VOIDED, PaymentState.REFUNDED):
        return
    before = payment.status
    payment.record("CancelRequested", {"reason": payload.get("reason")}, at)
    if before == PaymentState.REQUESTED:  # never sent to the provider: voided at once
        uow.record(PaymentVoided(payment_id=payment.id, order_id=payment.state["order_id"]))
    await uow.payments.save(payment, now=at)


async def request_refund(uow: PaymentsUnitOfWork, payload: Mapping[str, Any], at: datetime) -> None:
    payment = await uow.payments.load(payment_id_for(str(payload["order_id"])))
    refund_id = str(payload["refund_id"])
    if not payment.exists or any(r["id"] == refund_id for r in payment.state["refunds"]):
        return
    amount = money(payload["amount"])
    if payment.status not in (PaymentState.CAPTURED, PaymentState.PARTIALLY_REFUNDED) or (
        amount > payment.refundable()
    ):
        uow.record(
            RefundFailed(
                refund_id=refund_id,
                payment_id=payment.id,
                order_id=payment.state["order_id"],
                amount=str(amount),
                currency=payment.state["currency"],
                code=DeclineCode.REFUND_EXCEEDS_CAPTURED.value,
                message=f"At most {max(payment.refundable(), Decimal(0))} can be refunded.",
            )
        )
        return
    payment.record(
        "RefundRequested",
        {"refund_id": refund_id, "amount": str(amount), "reason": payload.get("reason") or ""},
        at,
    )
    await uow.payments.save(payment, now=at)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
