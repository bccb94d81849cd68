"""The payment provider port: what the processor asks of the simulator, Stripe or PayPal.

Every call carries an idempotency key (derived from the payment id and the step), so a retry —
after a timeout, a crash, a redelivered event — gets the provider's first answer instead of a
second charge. Answers are values (``Authorization``, ``Capture``…); refusals are
``PaymentDeclined`` with a stable code; an unreachable or failing provider is
``ProviderUnavailable`` (retryable).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Protocol


class DeclineCode(StrEnum):
    DECLINED = "DECLINED"
    INSUFFICIENT_FUNDS = "INSUFFICIENT_FUNDS"
    AUTHENTICATION_FAILED = "AUTHENTICATION_FAILED"
    PROVIDER_UNAVAILABLE = "PROVIDER_UNAVAILABLE"
    CAPTURE_FAILED = "CAPTURE_FAILED"
    FRAUD_SUSPECTED = "FRAUD_SUSPECTED"
    INVALID_TOKEN = "INVALID_TOKEN"  # noqa: S105 - an error code, not a secret
    REFUND_FAILED = "REFUND_FAILED"
    REFUND_EXCEEDS_CAPTURED = "REFUND_EXCEEDS_CAPTURED"


class PaymentDeclined(Exception):
    """The provider (or the fraud check) refused: final, not worth retrying."""

    def __init__(self, code: DeclineCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class ProviderUnavailable(Exception):
    """The provider did not answer in time, failed, or its circuit is open: try again later."""


@dataclass(frozen=True, slots=True)
class Authorization:
    reference: str
    requires_action: bool = False  # the shopper must act first (3-D Secure)
    action_url: str | None = None


@dataclass(frozen=True, slots=True)
class Charge:
    reference: str
    amount: Decimal


@dataclass(frozen=True, slots=True)
class PaymentRequest:
    payment_id: str
    order_id: str
    amount: Decimal
    currency: str
    token: str
    email: str = ""


class PaymentProvider(Protocol):
    name: str

    async def authorize(
        self, request: PaymentRequest, *, idempotency_key: str
    ) -> Authorization: ...

    async def confirm(self, reference: str, *, idempotency_key: str) -> Authorization:
        """After the shopper's action (3-D Secure): the authorization, or PaymentDeclined."""
        ...

    async def capture(self, reference: str, amount: Decimal, *, idempotency_key: str) -> Charge: ...

    async def void(self, reference: str, *, idempotency_key: str) -> None: ...

    async def refund(
        self, reference: str, amount: Decimal, currency: str, *, idempotency_key: str
    ) -> Charge: ...


class FraudCheck(Protocol):
    async def check(self, request: PaymentRequest) -> None:
        """Raise PaymentDeclined(FRAUD_SUSPECTED) to refuse before anything is authorized."""
        ...


@dataclass(frozen=True)
class AmountLimitFraudCheck:
    """The default fraud hook: orders above a limit are refused for manual review, as are the
    simulator's ``tok_fraud`` tokens. Replace it with a scoring service (Stripe Radar, Signifyd)
    behind the same protocol."""

    limit: Decimal

    async def check(self, request: PaymentRequest) -> None:
        if request.amount > self.limit or request.token in ("tok_fraud",):
            raise PaymentDeclined(
                DeclineCode.FRAUD_SUSPECTED, "This payment needs a manual review; contact us."
            )
