"""Stripe, on its official SDK (``stripe.StripeClient``, async methods over httpx).

PaymentIntents with ``capture_method=manual``: authorize = create + confirm with the shopper's
PaymentMethod (``pm_…`` from Stripe Elements); ``requires_action`` → 3-D Secure (the storefront
finishes it with stripe.js, Stripe then sends ``payment_intent.amount_capturable_updated``);
capture, cancel (void) and refunds. Every call carries ``Idempotency-Key``. Card errors map to
decline codes; network errors, rate limits and 5xx to ``ProviderUnavailable``. No Stripe server
is reachable here: tests run this adapter against respx fakes of Stripe's documented API.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import stripe

from shared.money import MINOR_UNITS
from subgraphs.payments.domain.provider import (
    Authorization,
    Charge,
    DeclineCode,
    PaymentDeclined,
    PaymentRequest,
    ProviderUnavailable,
)

API_BASE = "https://api.stripe.com"


def to_minor(amount: Decimal, currency: str) -> int:
    return int((amount * (10 ** MINOR_UNITS[currency.upper()])).to_integral_value())


def from_minor(value: int, currency: str) -> Decimal:
    return Decimal(value) / Decimal(10 ** MINOR_UNITS[currency.upper()])


def _declined(exc: stripe.StripeError) -> Exception:
    if isinstance(exc, stripe.CardError):
        code = getattr(exc, "code", None) or ""
        decline = (getattr(exc, "error", None) and getattr(exc.error, "decline_code", None)) or ""
        if "insufficient_funds" in (code, decline):
            return PaymentDeclined(
                DeclineCode.INSUFFICIENT_FUNDS, "Your card has insufficient funds."
            )
        if code == "authentication_required":
            return PaymentDeclined(DeclineCode.AUTHENTICATION_FAILED, "Authentication failed.")
        return PaymentDeclined(DeclineCode.DECLINED, "Your card was declined.")
    if isinstance(exc, stripe.APIConnectionError | stripe.RateLimitError):
        return ProviderUnavailable(f"stripe: {type(exc).__name__}")
    if isinstance(exc, stripe.InvalidRequestError):
        return PaymentDeclined(DeclineCode.INVALID_TOKEN, "The payment method cannot be used.")
    status = getattr(exc, "http_status", None) or 0
    if status >= 500 or isinstance(exc, stripe.APIError):
        return ProviderUnavailable(f"stripe answered {status}")
    return PaymentDeclined(DeclineCode.DECLINED, "The payment was refused.")


class StripeProvider:
    name = "stripe"

    def __init__(self, api_key: str, *, api_base: str = API_BASE, timeout: float = 10.0) -> None:
        self.client = stripe.StripeClient(
            api_key,
            base_addresses={"api": api_base},
            http_client=stripe.HTTPXClient(timeout=timeout),
            max_network_retries=0,  # ours retry, with the same idempotency key
        )

    async def _call(self, work: Any) -> Any:
        try:
            return await work
        except stripe.StripeError as exc:
            raise _declined(exc) from exc

    @staticmethod
    def _authorization(intent: Any) -> Authorization:
        status = intent.status
        if status in ("requires_capture", "succeeded"):
            return Authorization(intent.id)
        if status == "requires_action":
            action = getattr(intent, "next_action", None)
            redirect = getattr(action, "redirect_to_url", None) if action else None
            return Authorization(
                intent.id, requires_action=True, action_url=getattr(redirect, "url", None)
            )
        if status == "requires_payment_method":
            raise PaymentDeclined(DeclineCode.DECLINED, "Your card was declined.")
        raise PaymentDeclined(DeclineCode.DECLINED, f"The payment is {status}.")

    async def authorize(self, request: PaymentRequest, *, idempotency_key: str) -> Authorization:
        intent = await self._call(
            self.client.v1.payment_intents.create_async(
                {
                    "amount": to_minor(request.amount, request.currency),
                    "currency": request.currency.lower(),
                    "payment_method": request.token,
                    "confirm": True,
                    "capture_method": "manual",
                    "metadata": {"order_id": request.order_id, "payment_id": request.payment_id},
                },
                {"idempotency_key": idempotency_key},
            )
        )
        return self._authorization(intent)

    async def confirm(self, reference: str, *, idempotency_key: str) -> Authorization:
        intent = await self._call(self.client.v1.payment_intents.retrieve_async(reference))
        if intent.status == "requires_action":
            raise ProviderUnavailable("stripe: the shopper has not finished 3-D Secure yet")
        if intent.status == "requires_payment_method":
            raise PaymentDeclined(DeclineCode.AUTHENTICATION_FAILED, "3-D Secure failed.")
        return self._authorization(intent)

    async def capture(self, reference: str, amount: Decimal, *, idempotency_key: str) -> Charge:
        intent = await self._call(
            self.client.v1.payment_intents.capture_async(
                reference, {}, {"idempotency_key": idempotency_key}
            )
        )
        if intent.status != "succeeded":
            raise PaymentDeclined(DeclineCode.CAPTURE_FAILED, f"The capture is {intent.status}.")
        return Charge(intent.id, from_minor(intent.amount_received, intent.currency))

    async def void(self, reference: str, *, idempotency_key: str) -> None:
        await self._call(
            self.client.v1.payment_intents.cancel_async(
                reference, {}, {"idempotency_key": idempotency_key}
            )
        )

    async def refund(
        self, reference: str, amount: Decimal, currency: str, *, idempotency_key: str
    ) -> Charge:
        refund = await self._call(
            self.client.v1.refunds.create_async(
                {"payment_intent": reference, "amount": to_minor(amount, currency)},
                {"idempotency_key": idempotency_key},
            )
        )
        if refund.status == "failed":
            raise PaymentDeclined(DeclineCode.REFUND_FAILED, "The refund failed.")
        return Charge(refund.id, from_minor(refund.amount, refund.currency))
