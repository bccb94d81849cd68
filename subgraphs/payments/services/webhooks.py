"""Provider webhooks and the shopper's 3-D Secure confirmation.

Stripe deliveries are verified with the signing secret (``Stripe-Signature``: HMAC-SHA256 of
``t.payload``, at most 300 s old) by the SDK's ``Webhook.construct_event``; PayPal deliveries by
PayPal's verification API. A verified event is handled once (``webhook_deliveries`` by provider
event id: a replay answers 200 and changes nothing) and only if it still applies to the
payment's state, so events arriving out of order or late never undo a newer state (a stale
``payment_intent.payment_failed`` after a capture is ignored; refunds count by Stripe's
cumulative ``amount_refunded``).
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Callable, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from shared.auth import Principal
from subgraphs.payments.adapters.stripe_provider import from_minor
from subgraphs.payments.domain.events import DisputeClosed, DisputeOpened, RefundSucceeded
from subgraphs.payments.domain.payment import Payment, PaymentState, money
from subgraphs.payments.domain.provider import (
    Authorization,
    DeclineCode,
    PaymentDeclined,
    PaymentProvider,
    ProviderUnavailable,
)
from subgraphs.payments.services.processor import record_authorization, record_failure
from subgraphs.payments.services.saga import payment_id_for, token_hash
from subgraphs.payments.uow import PaymentsUnitOfWork

log = logging.getLogger(__name__)
UowFactory = Callable[[], PaymentsUnitOfWork]


class WebhookRejected(Exception):
    """Not a genuine, fresh delivery (bad signature, too old, malformed)."""


async def handle_stripe_event(
    uow_factory: UowFactory, event: Mapping[str, Any], at: datetime
) -> str:
    """The outcome: ``handled``, ``duplicate`` or ``ignored`` (unknown or stale)."""
    event_id, kind = str(event["id"]), str(event["type"])
    obj = event.get("data", {}).get("object", {})
    async with uow_factory() as uow:
        if not await uow.payments.remember_delivery("stripe", event_id, kind, at):
            await uow.commit()
            return "duplicate"
        reference = str(obj.get("payment_intent") or obj.get("id") or "")
        payment_id = await uow.payments.id_of_reference(reference)
        if payment_id is None:
            await uow.commit()  # remember it anyway: a replay is still a replay
            return "ignored"
        payment = await uow.payments.load(payment_id)
        outcome = _apply_stripe(uow, payment, kind, obj, at)
        await uow.payments.save(payment, now=at)
        await uow.commit()
    return outcome


def _apply_stripe(
    uow: PaymentsUnitOfWork, payment: Payment, kind: str, obj: Mapping[str, Any], at: datetime
) -> str:
    status = payment.status
    s = payment.state
    if kind == "payment_intent.amount_capturable_updated":
        if status != PaymentState.ACTION_REQUIRED:
            return "ignored"  # authorized already, or gone on: nothing newer to learn
        record_authorization(uow, payment, Authorization(str(obj["id"])), at)
        return "handled"
    if kind == "payment_intent.payment_failed":
        if status not in (PaymentState.ACTION_REQUIRED, PaymentState.REQUESTED):
            return "ignored"  # a stale failure after the payment moved on
        error = obj.get("last_payment_error") or {}
        code = (
            DeclineCode.AUTHENTICATION_FAILED
            if status == PaymentState.ACTION_REQUIRED
            else DeclineCode.DECLINED
        )
        record_failure(uow, payment, code, str(error.get("message") or "The payment failed."), at)
        return "handled"
    if kind == "charge.refunded":
        total = from_minor(
            int(obj.get("amount_refunded") or 0), str(obj.get("currency") or s["currency"])
        )
        known = money(s["refunded"]) + sum(
            (money(r["amount"]) for r in s["refunds"] if r["status"] == "PENDING"), Decimal(0)
        )
        extra = money(total) - known
        if extra <= 0:
            return "ignored"  # our own refunds, already counted (or an older event)
        refund_id = f"provider-{obj.get('id')}-{total}"
        payment.record("RefundSucceeded", {"refund_id": refund_id, "amount": str(extra)}, at)
        uow.record(
            RefundSucceeded(
                refund_id=None,
                payment_id=payment.id,
                order_id=s["order_id"],
                amount=str(extra),
                currency=s["currency"],
            )
        )
        return "handled"
    if kind in ("charge.dispute.created", "charge.dispute.closed"):
        dispute_id = str(obj.get("id"))
        amount = str(
            from_minor(int(obj.get("amount") or 0), str(obj.get("currency") or s["currency"]))
        )
        payment.record(
            "DisputeRecorded",
            {
                "dispute_id": dispute_id,
                "amount": amount,
                "reason": obj.get("reason"),
                "status": obj.get("status"),
            },
            at,
        )
        if kind.endswith("created"):
            uow.record(
                DisputeOpened(
                    dispute_id=dispute_id,
                    payment_id=payment.id,
                    order_id=s["order_id"],
                    amount=amount,
                    currency=s["currency"],
                    reason=str(obj.get("reason") or ""),
                )
            )
        else:
            uow.record(
                DisputeClosed(
                    dispute_id=dispute_id,
                    payment_id=payment.id,
                    order_id=s["order_id"],
                    status=str(obj.get("status") or ""),
                )
            )
        return "handled"
    return "ignored"


async def handle_paypal_event(
    uow_factory: UowFactory, event: Mapping[str, Any], at: datetime
) -> str:
    """PayPal: refunds and disputes made at PayPal; a replay does nothing."""
    event_id, kind = str(event["id"]), str(event.get("event_type"))
    resource = event.get("resource", {})
    async with uow_factory() as uow:
        if not await uow.payments.remember_delivery("paypal", event_id, kind, at):
            await uow.commit()
            return "duplicate"
        await uow.commit()
    if kind == "PAYMENT.CAPTURE.REFUNDED":
        log.info("paypal refund noted", extra={"resource": resource.get("id")})
        return "handled"
    return "ignored"


async def confirm_payment(
    uow_factory: UowFactory,
    providers: Mapping[str, PaymentProvider],
    *,
    order_id: str,
    actor: Principal,
    order_token: str | None,
    at: datetime,
) -> Payment | None:
    """The shopper finished 3-D Secure: ask the provider, record the answer. Only the order's
    customer or a guest with the order's token may; to others the payment does not exist."""
    async with uow_factory() as uow:
        payment = await uow.payments.load(payment_id_for(order_id))
        await uow.commit()
    if not payment.exists or not can_pay(payment.state, actor, order_token):
        return None
    if payment.status != PaymentState.ACTION_REQUIRED:
        return payment
    provider = providers.get(str(payment.state.get("gateway")))
    if provider is None:
        return payment
    try:
        result = await provider.confirm(
            str(payment.state["reference"]), idempotency_key=f"{payment.id}:confirm"
        )
        declined: PaymentDeclined | None = None
    except PaymentDeclined as exc:
        declined, result = exc, None
    except ProviderUnavailable:
        return payment
    async with uow_factory() as uow:
        payment = await uow.payments.load(payment.id)
        if payment.status == PaymentState.ACTION_REQUIRED:
            if declined is not None:
                record_failure(uow, payment, declined.code, declined.message, at)
            elif result is not None:
                record_authorization(uow, payment, result, at)
            await uow.payments.save(payment, now=at)
        await uow.commit()
    return payment


def can_pay(state: Mapping[str, Any], actor: Principal, order_token: str | None) -> bool:
    customer_id = state.get("customer_id")
    if customer_id and actor.is_customer_id(str(customer_id)):
        return True
    stored = str(state.get("token_hash") or "")
    return bool(order_token and stored and hmac.compare_digest(token_hash(order_token), stored))
