"""Events the checkout subgraph publishes. Their payloads are a public contract (see README)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from shared.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class CheckoutCompleted(DomainEvent):
    """A cart was checked out: stock is reserved, totals are final, payment comes next.

    Amounts are decimal strings in ``currency``; ``lines`` items are
    ``{variant_id, sku, name, quantity, unit_price, total, discount}``. ``order_id`` is the id the
    orders subgraph gives the order; ``order_token_hash`` the SHA-256 (hex) of the guest's order
    token; ``payment`` the gateway and the provider token to charge ``total`` with (never card
    data; null when ``total`` is zero).
    """

    event_type: ClassVar[str] = "CheckoutCompleted"
    checkout_id: str
    cart_id: str
    customer_id: str | None
    email: str
    reservation_id: str
    lines: list[dict[str, Any]]
    shipping_address: dict[str, Any]
    shipping_method: dict[str, Any]
    shipping_amount: str
    subtotal: str
    tax: str
    prices_include_tax: bool
    discounts: str
    discount_codes: list[str]
    gift_cards: str
    total: str
    currency: str
    completed_at: str
    order_id: str
    order_token_hash: str
    payment: dict[str, Any] | None
