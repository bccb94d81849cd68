"""Checkout input types."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import strawberry

from subgraphs.checkout.domain.pricing import PromotionKind

PromotionKindEnum = strawberry.enum(
    PromotionKind, name="PromotionKind", description="What a promotion takes off."
)


@strawberry.input(description="A variant and how many of it.")
class CartLineInput:
    merchandise_id: strawberry.ID = strawberry.field(description="The ProductVariant id.")
    quantity: int = 1


@strawberry.input(description="A new quantity for a line; 0 removes it.")
class CartLineUpdateInput:
    id: strawberry.ID
    quantity: int


@strawberry.input(description="Who is buying.")
class CartBuyerIdentityInput:
    email: str | None = None


@strawberry.input(description="A new cart.")
class CartInput:
    lines: list[CartLineInput] | None = None
    buyer_identity: CartBuyerIdentityInput | None = None
    discount_codes: list[str] | None = None


@strawberry.input(description="A postal address to ship to.")
class MailingAddressInput:
    first_name: str | None = None
    last_name: str | None = None
    company: str | None = None
    address1: str | None = None
    address2: str | None = None
    city: str | None = None
    province_code: str | None = strawberry.field(
        default=None, description="State, province or prefecture code (required in US, CA, AU, JP)."
    )
    postal_code: str | None = None
    country_code: str | None = strawberry.field(default=None, description="ISO 3166-1 alpha-2.")
    phone: str | None = None


@strawberry.input(description="Complete a checkout (idempotency key required).")
class CheckoutCompleteInput:
    cart_id: strawberry.ID
    idempotency_key: str = strawberry.field(
        description="Retry with the same key to get the same result; never completes twice."
    )
    payment: CheckoutPaymentInput | None = strawberry.field(
        default=None,
        description="How to pay; may be left out only when gift cards cover the total.",
    )


@strawberry.input(
    description=(
        "A payment method as a provider token (from the payment form: Stripe Elements, PayPal, "
        "or one of the simulator's test tokens) — never card data."
    )
)
class CheckoutPaymentInput:
    gateway: str = strawberry.field(
        default="simulator", description="`simulator` (default), `stripe` or `paypal`."
    )
    token: str = strawberry.field(description="The provider's payment token.")


@strawberry.input(description="A weight band: up to this weight (open-ended when null), this rate.")
class WeightBandInput:
    up_to_grams: int | None
    amount: Decimal


@strawberry.input(description="A shipping method of a zone: flat rate or weight bands.")
class ShippingMethodCreateInput:
    zone_id: strawberry.ID
    name: str
    currency: str
    flat_amount: Decimal | None = None
    weight_bands: list[WeightBandInput] | None = None
    free_over: Decimal | None = strawberry.field(
        default=None, description="Free when the discounted subtotal reaches this amount."
    )


@strawberry.input(description="A promotion code.")
class PromotionCreateInput:
    code: str
    kind: PromotionKindEnum  # type: ignore[valid-type]
    name: str = ""
    value: Decimal = Decimal(0)
    currency: str | None = None
    buy_variant_id: strawberry.ID | None = None
    buy_quantity: int = 0
    get_quantity: int = 0
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    usage_limit: int | None = None
    usage_limit_per_customer: int | None = None
