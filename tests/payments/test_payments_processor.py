"""The processor with the simulator: every documented test token, 3-D Secure, cancellation,
refunds, a crash between the provider's answer and its record (one charge), and the circuit
breaker."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from shared.app import SubgraphApp
from shared.bus.memory import InMemoryEventBus
from subgraphs.payments.adapters.resilience import BreakerState, SlidingWindowBreaker
from subgraphs.payments.domain.provider import Charge, ProviderUnavailable
from subgraphs.payments.services.processor import PaymentProcessor
from tests.graphql_client import SubgraphClient, customer
from tests.payments.support import (
    ORDER_TOKEN,
    from_orders,
    ledger,
    outbox,
    payment_state,
    placed,
)


def processor(app: SubgraphApp) -> PaymentProcessor:
    found = app.processor  # type: ignore[attr-defined]
    assert isinstance(found, PaymentProcessor)
    return found


async def pay(app: SubgraphApp, bus: InMemoryEventBus, token: str, **kw: Any) -> str:
    event = placed(token, **kw)
    await bus.publish(event)
    await processor(app).drain()
    return str(event.payload["order_id"])


async def test_a_good_card_is_authorized_then_captured_once(
    payments: SubgraphApp, payments_uow: Any, bus: InMemoryEventBus
) -> None:
    event = placed("tok_success")
    await bus.publish(event)
    await bus.publish(event)  # redelivered: one payment
    await processor(payments).drain()
    order_id = str(event.payload["order_id"])

    s = await payment_state(payments_uow, order_id)
    assert (s["status"], s["captured"], s["work"]) == ("CAPTURED", "42.50", None)
    kinds = [e["_type"] for e in await outbox(payments)]
    assert kinds == ["PaymentAuthorized", "PaymentCaptured"]
    (captured,) = await outbox(payments, "PaymentCaptured")
    assert (captured["order_id"], captured["amount"], captured["gateway"]) == (
        order_id,
        "42.50",
        "simulator",
    )
    captures = [r for r in await ledger(payments) if r["operation"] == "capture"]
    assert len(captures) == 1
    assert "tok_success" not in str(await outbox(payments))  # no token leaves in events


@pytest.mark.parametrize(
    ("token", "code"),
    [
        ("tok_decline", "DECLINED"),
        ("tok_insufficient_funds", "INSUFFICIENT_FUNDS"),
        ("tok_fraud", "FRAUD_SUSPECTED"),
        ("4242424242424242", "INVALID_TOKEN"),
        ("tok_capture_fail", "CAPTURE_FAILED"),
    ],
)
async def test_refusals_fail_the_payment_with_their_code(
    payments: SubgraphApp, payments_uow: Any, bus: InMemoryEventBus, token: str, code: str
) -> None:
    order_id = await pay(payments, bus, token)
    s = await payment_state(payments_uow, order_id)
    assert (s["status"], s["failure_code"]) == ("FAILED", code)
    (failed,) = await outbox(payments, "PaymentFailed")
    assert (failed["code"], failed["retryable"]) == (code, False)
    operations = {r["operation"] for r in await ledger(payments)}
    assert "capture" not in {
        r["operation"] for r in await ledger(payments) if r["outcome"] == "captured"
    }
    if code == "CAPTURE_FAILED":
        assert "void" in operations  # the authorization is released


async def test_a_provider_down_fails_fast_and_retryably(
    payments: SubgraphApp, payments_uow: Any, bus: InMemoryEventBus
) -> None:
    order_id = await pay(payments, bus, "tok_timeout")
    s = await payment_state(payments_uow, order_id)
    assert (s["status"], s["failure_code"]) == ("FAILED", "PROVIDER_UNAVAILABLE")
    (failed,) = await outbox(payments, "PaymentFailed")
    assert failed["retryable"] is True
    assert "try again later" in failed["message"]


async def test_3ds_waits_for_the_shopper_then_captures(
    payments: SubgraphApp, payments_uow: Any, bus: InMemoryEventBus, client: SubgraphClient
) -> None:
    order_id = await pay(payments, bus, "tok_3ds_required")
    assert (await payment_state(payments_uow, order_id))["status"] == "ACTION_REQUIRED"
    (action,) = await outbox(payments, "PaymentActionRequired")
    assert action["action_type"] == "THREE_D_SECURE"

    confirm = """mutation($o: ID!, $t: String) { paymentConfirm(orderId: $o, token: $t) {
      payment { status } userErrors { code } } }"""
    stranger = await client.execute(confirm, {"o": order_id, "t": "wrong"})
    assert stranger["data"]["paymentConfirm"]["userErrors"][0]["code"] == "NOT_FOUND"
    done = await client.execute(confirm, {"o": order_id, "t": ORDER_TOKEN})
    assert done["data"]["paymentConfirm"]["payment"]["status"] == "AUTHORIZED"
    await processor(payments).drain()
    assert (await payment_state(payments_uow, order_id))["status"] == "CAPTURED"

    failing = await pay(payments, bus, "tok_3ds_fail", customer_id="c1")
    await client.execute(confirm, {"o": failing}, principal=customer("c1"))
    s = await payment_state(payments_uow, failing)
    assert (s["status"], s["failure_code"]) == ("FAILED", "AUTHENTICATION_FAILED")


async def test_a_cancelled_order_is_voided_or_refunded_in_full(
    payments: SubgraphApp, payments_uow: Any, bus: InMemoryEventBus
) -> None:
    early = placed("tok_success")
    await bus.publish(early)
    early_id = str(early.payload["order_id"])
    await bus.publish(from_orders("OrderCancelled", early_id, reason="CUSTOMER"))
    await processor(payments).drain()
    assert (await payment_state(payments_uow, early_id))["status"] == "VOIDED"
    assert await ledger(payments) == []  # never reached the provider

    late_id = await pay(payments, bus, "tok_success")
    await bus.publish(from_orders("OrderCancelled", late_id, reason="STAFF"))
    await processor(payments).drain()
    s = await payment_state(payments_uow, late_id)
    assert (s["status"], s["refunded"]) == ("REFUNDED", "42.50")
    (refund,) = await outbox(payments, "RefundSucceeded")
    assert refund["amount"] == "42.50"


async def test_partial_refunds_never_exceed_the_capture(
    payments: SubgraphApp, payments_uow: Any, bus: InMemoryEventBus
) -> None:
    order_id = await pay(payments, bus, "tok_success")
    ask = from_orders(
        "RefundRequested", order_id, refund_id="r1", amount="10.00", currency="EUR", reason=""
    )
    await bus.publish(ask)
    await bus.publish(ask)
    await processor(payments).drain()
    s = await payment_state(payments_uow, order_id)
    assert (s["status"], s["refunded"]) == ("PARTIALLY_REFUNDED", "10.00")
    await bus.publish(
        from_orders(
            "RefundRequested", order_id, refund_id="r2", amount="40.00", currency="EUR", reason=""
        )
    )
    (refused,) = await outbox(payments, "RefundFailed")
    assert (refused["refund_id"], refused["code"]) == ("r2", "REFUND_EXCEEDS_CAPTURED")
    refunds = [r for r in await ledger(payments) if r["operation"] == "refund"]
    assert [Decimal(str(r["amount"])) for r in refunds] == [Decimal("10.00")]


class HostKilled(BaseException):
    """Not an Exception: nothing in the process handles it, as with a SIGKILL."""


class CrashAfterCapture:
    """Wraps the provider: the capture reaches the provider, then the process 'dies'."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.name = inner.name

    def __getattr__(self, item: str) -> Any:
        return getattr(self.inner, item)

    async def capture(self, reference: str, amount: Decimal, *, idempotency_key: str) -> Charge:
        await self.inner.capture(reference, amount, idempotency_key=idempotency_key)
        raise HostKilled


async def test_a_crash_after_the_capture_resumes_without_charging_twice(
    payments: SubgraphApp, payments_uow: Any, bus: InMemoryEventBus
) -> None:
    live = processor(payments)
    crashing = PaymentProcessor(
        live.uow_factory,
        {"simulator": CrashAfterCapture(live.providers["simulator"])},
        live.fraud,
        clock=live.clock,
    )
    event = placed("tok_success")
    await bus.publish(event)
    with pytest.raises(HostKilled):
        await crashing.run_once()
    order_id = str(event.payload["order_id"])
    assert (await payment_state(payments_uow, order_id))["status"] == "AUTHORIZED"

    # After the lease runs out, a healthy processor takes over with the same idempotency key.
    from datetime import timedelta

    later = PaymentProcessor(
        live.uow_factory,
        live.providers,
        live.fraud,
        clock=lambda: live.clock() + timedelta(minutes=5),
    )
    await later.drain()
    s = await payment_state(payments_uow, order_id)
    assert (s["status"], s["captured"]) == ("CAPTURED", "42.50")
    captures = [r for r in await ledger(payments) if r["operation"] == "capture"]
    assert len(captures) == 1  # the provider charged once
    assert len(await outbox(payments, "PaymentCaptured")) == 1


def test_the_breaker_opens_within_its_window_and_half_opens_after_the_cooldown() -> None:
    now = [0.0]
    breaker = SlidingWindowBreaker(
        "sim", threshold=5, window=5.0, cooldown=30.0, clock=lambda: now[0]
    )
    for t in (0.0, 2.0, 4.0, 6.0, 8.0):  # 5 failures, but never 5 within 5 s
        now[0] = t
        breaker.before_call()
        breaker.failure()
    assert breaker.state == BreakerState.CLOSED
    for t in (9.0, 9.5, 10.0):  # with 6.0 and 8.0: five within 5 s (at 10.0)
        now[0] = t
        breaker.failure()
    assert breaker.state == BreakerState.OPEN
    with pytest.raises(ProviderUnavailable, match="try again later"):
        breaker.before_call()
    now[0] = 41.0
    assert breaker.state == BreakerState.HALF_OPEN
    breaker.before_call()  # one trial goes through
    with pytest.raises(ProviderUnavailable):
        breaker.before_call()  # the next waits for its outcome
    breaker.success()
    assert breaker.state == BreakerState.CLOSED
