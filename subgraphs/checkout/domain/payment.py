"""How the shopper will pay: a gateway name and the provider's token (never card data).

Checkout only checks the shape and hands both to the orders/payments saga in
``CheckoutCompleted``; the payments subgraph decides whether the gateway exists and the token
is good (a bad one ends as PaymentFailed → the order cancelled → this cart reopened).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass

from subgraphs.checkout.domain.errors import CartError, CartErrorCode

_GATEWAY = re.compile(r"[a-z][a-z0-9_]{1,31}")
# Provider tokens: Stripe pm_/tok_ ids, PayPal order ids, the simulator's tok_* names.
_TOKEN = re.compile(r"[A-Za-z0-9_\-:.]{1,255}")
ORDER_TOKEN_BYTES = 24


@dataclass(frozen=True, slots=True)
class PaymentChoice:
    gateway: str
    token: str

    @classmethod
    def of(cls, gateway: str, token: str) -> PaymentChoice:
        gateway = gateway.strip().lower()
        token = token.strip()
        if not _GATEWAY.fullmatch(gateway):
            raise CartError(
                CartErrorCode.INVALID_PAYMENT,
                "Unknown payment gateway name.",
                field="payment.gateway",
            )
        if not _TOKEN.fullmatch(token):
            raise CartError(
                CartErrorCode.INVALID_PAYMENT,
                "The payment token is not a provider token (give the token your payment form "
                "returned, never card numbers).",
                field="payment.token",
            )
        return cls(gateway, token)

    def to_dict(self) -> dict[str, str]:
        return {"gateway": self.gateway, "token": self.token}


def new_order_token() -> str:
    """The guest's secret for reading their order (192 random bits, URL-safe)."""
    return secrets.token_urlsafe(ORDER_TOKEN_BYTES)


def order_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
