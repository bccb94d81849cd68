"""Stripe (official SDK) and PayPal (httpx) adapters against fakes of their documented APIs
(respx; no provider server is reachable here), and Stripe webhooks: verified, fresh, handled
once, in any order."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest
import respx

from shared.app import SubgraphApp
from shared.bus.memory import InMemoryEventBus
from subgraphs.payments.adapters.paypal import PayPalProvider
from subgraphs.payments.adapters.stripe_provider import StripeProvider
from subgraphs.payments.domain.provider import PaymentDeclined, PaymentRequest, ProviderUnavailable
from tests.conftest import SubgraphFactory
from tests.payments.support import outbox, payment_state, placed

REQUEST = PaymentRequest(
    payment_id="pay-1",
    order_id="ord-1",
    amount=Decimal("42.50"),
    currency="EUR",
    token="pm_card_visa",
)
STRIPE = "http://stripe.test"
PAYPAL = "http://paypal.test"
SECRET = "whsec_test_secret"


def intent(status: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": "pi_1",
        "object": "payment_intent",
        "status": status,
        "amount": 4250,
        "amount_received": 4250 if status == "succeeded" else 0,
        "currency": "eur",
        **extra,
    }


async def test_stripe_authorizes_captures_and_refunds_with_idempotency_keys() -> None:
    with respx.mock(base_url=STRIPE, assert_all_called=False) as respx_mock:
        create = respx_mock.post("/v1/payment_intents").mock(
            return_value=httpx.Response(200, json=intent("requires_capture"))
        )
        capture = respx_mock.post("/v1/payment_intents/pi_1/capture").mock(
            return_value=httpx.Response(200, json=intent("succeeded"))
        )
        refund = respx_mock.post("/v1/refunds").mock(
            return_value=httpx.Response(
                200,
                json={
                    "id": "re_1",
                    "object": "refund",
                    "status": "succeeded",
                    "amount": 1000,
                    "currency": "eur",
                },
            )
        )
        provider = StripeProvider("sk_test_123", api_base=STRIPE)

        authorization = await provider.authorize(REQUEST, idempotency_key="pay-1:authorize")
        assert (authorization.reference, authorization.requires_action) == ("pi_1", False)
        sent = create.calls.last.request
        assert sent.headers["Idempotency-Key"] == "pay-1:authorize"
        assert sent.headers["Authorization"] == "Bearer sk_test_123"
        form = parse_qs(sent.content.decode())
        assert form["amount"] == ["4250"]
        assert form["currency"] == ["eur"]
        assert form["capture_method"] == ["manual"]
        assert form["payment_method"] == ["pm_card_visa"]
        assert form["confirm"] == ["true"]

        charge = await provider.capture("pi_1", Decimal("42.50"), idempotency_key="pay-1:capture")
        assert charge.amount == Decimal("42.50")
        assert capture.calls.last.request.headers["Idempotency-Key"] == "pay-1:capture"
        back = await provider.refund(
            "pi_1", Decimal("10.00"), "EUR", idempotency_key="pay-1:refund:r1"
        )
        assert (back.reference, back.amount) == ("re_1", Decimal("10"))
        assert parse_qs(refund.calls.last.request.content.decode())["amount"] == ["1000"]


async def test_stripe_declines_3ds_and_outages_map_to_our_outcomes() -> None:
    with respx.mock(base_url=STRIPE, assert_all_called=False) as respx_mock:
        provider = StripeProvider("sk_test_123", api_base=STRIPE)
        route = respx_mock.post("/v1/payment_intents")
        route.mock(
            return_value=httpx.Response(
                402,
                json={
                    "error": {
                        "type": "card_error",
                        "code": "card_declined",
                        "decline_code": "insufficient_funds",
                        "message": "Insufficient funds.",
                    }
                },
            )
        )
        with pytest.raises(PaymentDeclined) as declined:
            await provider.authorize(REQUEST, idempotency_key="k1")
        assert declined.value.code == "INSUFFICIENT_FUNDS"

        route.mock(
            return_value=httpx.Response(
                200,
                json=intent(
                    "requires_action",
                    next_action={
                        "type": "redirect_to_url",
                        "redirect_to_url": {"url": "https://hooks.stripe.com/3ds"},
                    },
                ),
            )
        )
        action = await provider.authorize(REQUEST, idempotency_key="k2")
        assert (action.requires_action, action.action_url) == (True, "https://hooks.stripe.com/3ds")

        route.mock(
            return_value=httpx.Response(
                500, json={"error": {"type": "api_error", "message": "boom"}}
            )
        )
        with pytest.raises(ProviderUnavailable):
            await provider.authorize(REQUEST, idempotency_key="k3")
        route.mock(side_effect=httpx.ConnectTimeout("timed out"))
        with pytest.raises(ProviderUnavailable):
            await provider.authorize(REQUEST, idempotency_key="k4")


async def test_paypal_orders_v2_with_request_ids() -> None:
    with respx.mock(base_url=PAYPAL, assert_all_called=False) as respx_mock:
        respx_mock.post("/v1/oauth2/token").mock(
            return_value=httpx.Response(
                200, json={"access_token": "A21AA", "token_type": "Bearer", "expires_in": 32400}
            )
        )
        authorize = respx_mock.post("/v2/checkout/orders/5O190127TN364715T/authorize").mock(
            return_value=httpx.Response(
                201,
                json={
                    "id": "5O190127TN364715T",
                    "status": "COMPLETED",
                    "purchase_units": [
                        {
                            "payments": {
                                "authorizations": [
                                    {
                                        "id": "0BH64",
                                        "status": "CREATED",
                                        "amount": {"currency_code": "EUR", "value": "42.50"},
                                    }
                                ]
                            }
                        }
                    ],
                },
            )
        )
        respx_mock.post("/v2/payments/authorizations/0BH64/capture").mock(
            return_value=httpx.Response(
                201,
                json={
                    "id": "2GG27",
                    "status": "COMPLETED",
                    "amount": {"currency_code": "EUR", "value": "42.50"},
                },
            )
        )
        refund = respx_mock.post("/v2/payments/captures/2GG27/refund").mock(
            return_value=httpx.Response(
                201,
                json={
                    "id": "1JU08",
                    "status": "COMPLETED",
                    "amount": {"currency_code": "EUR", "value": "10.00"},
                },
            )
        )
        provider = PayPalProvider("client", "secret", base_url=PAYPAL)
        request = PaymentRequest("pay-2", "ord-2", Decimal("42.50"), "EUR", "5O190127TN364715T")
        authorization = await provider.authorize(request, idempotency_key="pay-2:authorize")
        assert authorization.reference == "0BH64"
        assert authorize.calls.last.request.headers["PayPal-Request-Id"] == "pay-2:authorize"
        assert authorize.calls.last.request.headers["Authorization"] == "Bearer A21AA"
        charge = await provider.capture("0BH64", Decimal("42.50"), idempotency_key="pay-2:capture")
        assert (charge.reference, charge.amount) == ("2GG27", Decimal("42.50"))
        back = await provider.refund(
            "2GG27", Decimal("10.00"), "EUR", idempotency_key="pay-2:refund:r1"
        )
        assert back.amount == Decimal("10.00")
        assert json.loads(refund.calls.last.request.content)["amount"] == {
            "value": "10.00",
            "currency_code": "EUR",
        }

        respx_mock.post("/v2/checkout/orders/DECLINED1/authorize").mock(
            return_value=httpx.Response(
                422,
                json={
                    "name": "UNPROCESSABLE_ENTITY",
                    "details": [{"issue": "INSTRUMENT_DECLINED"}],
                },
            )
        )
        with pytest.raises(PaymentDeclined) as declined:
            await provider.authorize(
                PaymentRequest("p", "o", Decimal(1), "EUR", "DECLINED1"), idempotency_key="x"
            )
        assert declined.value.code == "DECLINED"
        respx_mock.post("/v1/notifications/verify-webhook-signature").mock(
            return_value=httpx.Response(200, json={"verification_status": "SUCCESS"})
        )
        assert await provider.verify_webhook(
            {"paypal-transmission-id": "t"}, {"id": "WH-1"}, "WH-ID"
        )
        await provider.aclose()


def signed(payload: bytes, *, at: int | None = None, secret: str = SECRET) -> dict[str, str]:
    t = at if at is not None else int(time.time())
    mac = hmac.new(secret.encode(), f"{t}.".encode() + payload, hashlib.sha256).hexdigest()
    return {"Stripe-Signature": f"t={t},v1={mac}", "content-type": "application/json"}


def stripe_event(event_id: str, kind: str, obj: dict[str, Any]) -> bytes:
    return json.dumps(
        {
            "id": event_id,
            "object": "event",
            "type": kind,
            "api_version": "2024-06-20",
            "data": {"object": obj},
        }
    ).encode()


async def test_stripe_webhooks_are_verified_fresh_once_and_order_safe(
    make_subgraph: SubgraphFactory, bus: InMemoryEventBus, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AGORA_STRIPE_WEBHOOK_SECRET", SECRET)
    app: SubgraphApp = await make_subgraph("payments")
    event = placed("tok_success")
    order_id = str(event.payload["order_id"])
    await bus.publish(event)
    await app.processor.drain()  # type: ignore[attr-defined]
    from functools import partial

    from subgraphs.payments.uow import PaymentsUnitOfWork

    uow = partial(app.infra.unit_of_work, PaymentsUnitOfWork)
    reference = (await payment_state(uow, order_id))["reference"]

    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app.asgi), base_url="http://payments.test"
    ) as http:
        dispute = stripe_event(
            "evt_1",
            "charge.dispute.created",
            {
                "id": "dp_1",
                "object": "dispute",
                "payment_intent": reference,
                "amount": 4250,
                "currency": "eur",
                "reason": "fraudulent",
                "status": "needs_response",
            },
        )
        first = await http.post("/webhooks/stripe", content=dispute, headers=signed(dispute))
        assert first.json()["outcome"] == "handled"
        replay = await http.post("/webhooks/stripe", content=dispute, headers=signed(dispute))
        assert replay.json()["outcome"] == "duplicate"
        tampered = dispute.replace(b"4250", b"9999")
        assert (
            await http.post("/webhooks/stripe", content=tampered, headers=signed(dispute))
        ).status_code == 400
        old = stripe_event(
            "evt_2",
            "charge.dispute.created",
            {"id": "dp_2", "payment_intent": reference, "amount": 1},
        )
        expired = await http.post(
            "/webhooks/stripe", content=old, headers=signed(old, at=int(time.time()) - 400)
        )
        assert expired.status_code == 400
        wrong_key = await http.post(
            "/webhooks/stripe", content=old, headers=signed(old, secret="whsec_other")
        )
        assert wrong_key.status_code == 400

        stale = stripe_event(
            "evt_3",
            "payment_intent.payment_failed",
            {
                "id": reference,
                "object": "payment_intent",
                "last_payment_error": {"message": "declined"},
            },
        )
        assert (await http.post("/webhooks/stripe", content=stale, headers=signed(stale))).json()[
            "outcome"
        ] == "ignored"
        refunded = stripe_event(
            "evt_4",
            "charge.refunded",
            {
                "id": "ch_1",
                "object": "charge",
                "payment_intent": reference,
                "amount_refunded": 1000,
                "currency": "eur",
            },
        )
        assert (
            await http.post("/webhooks/stripe", content=refunded, headers=signed(refunded))
        ).json()["outcome"] == "handled"
        again = stripe_event(
            "evt_5",
            "charge.refunded",
            {
                "id": "ch_1",
                "object": "charge",
                "payment_intent": reference,
                "amount_refunded": 1000,
                "currency": "eur",
            },
        )
        assert (await http.post("/webhooks/stripe", content=again, headers=signed(again))).json()[
            "outcome"
        ] == "ignored"

    s = await payment_state(uow, order_id)
    assert (s["status"], s["refunded"]) == ("PARTIALLY_REFUNDED", "10.00")
    assert [d["id"] for d in s["disputes"]] == ["dp_1"]
    assert len(await outbox(app, "DisputeOpened")) == 1
    assert [e["amount"] for e in await outbox(app, "RefundSucceeded")] == ["10.00"]
    assert await outbox(app, "PaymentFailed") == []
