"""Checkout mutation payloads: the object, plus userErrors with stable codes."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import strawberry

from shared.graphql.types import UserError
from subgraphs.checkout.domain.errors import (
    AdminError,
    CartError,
    CartErrorCode,
    CheckoutAdminErrorCode,
)
from subgraphs.checkout.graphql.types import Cart, Checkout

CartErrorCodeEnum = strawberry.enum(
    CartErrorCode, name="CartErrorCode", description="Why a cart or checkout mutation refused."
)
AdminErrorCodeEnum = strawberry.enum(
    CheckoutAdminErrorCode,
    name="CheckoutAdminErrorCode",
    description="Why a shipping, tax or promotion mutation refused.",
)


@strawberry.type(description="A problem with a cart mutation's input.")
class CartUserError(UserError):
    code: CartErrorCodeEnum  # type: ignore[valid-type]

    @classmethod
    def from_domain(cls, error: CartError) -> CartUserError:
        return cls(field=error.field, message=error.message, code=error.code)


@strawberry.type(description="A problem with a staff mutation's input.")
class CheckoutAdminUserError(UserError):
    code: AdminErrorCodeEnum  # type: ignore[valid-type]

    @classmethod
    def from_domain(cls, error: AdminError) -> CheckoutAdminUserError:
        return cls(
            field=error.field.split(".") if error.field else None,
            message=error.message,
            code=error.code,
        )


@strawberry.type(description="The cart after the change, or why it did not change.")
class CartPayload:
    cart: Cart | None
    user_errors: list[CartUserError]


@strawberry.type(description="A guest line merged into the customer's cart.")
class MergedLine:
    merchandise_id: strawberry.ID
    quantity_added: int
    quantity: int = strawberry.field(description="The line's quantity after the merge.")


@strawberry.type(description="The buyer's cart (merged from a guest cart when they signed in).")
class CartMergePayload:
    cart: Cart | None
    merged_lines: list[MergedLine]
    user_errors: list[CartUserError]


@strawberry.type(description="A line inventory could not reserve.")
class StockShortage:
    merchandise_id: strawberry.ID
    requested: int
    available: int


@strawberry.type(description="The completed checkout, or why it was not completed.")
class CheckoutCompletePayload:
    checkout: Checkout | None
    cart: Cart | None
    stock_shortages: list[StockShortage]
    user_errors: list[CartUserError]


@strawberry.type(description="A shipping zone: the countries it ships to.")
class ShippingZone:
    id: strawberry.ID
    name: str
    countries: list[str]


@strawberry.type(description="A shipping method of a zone.")
class ShippingMethod:
    id: strawberry.ID
    zone_id: strawberry.ID
    name: str
    currency: str
    rate_kind: str
    flat_amount: Decimal | None
    free_over: Decimal | None


@strawberry.type(description="A promotion.")
class Promotion:
    id: strawberry.ID
    code: str
    name: str
    kind: str
    value: Decimal
    used_count: int
    usage_limit: int | None
    usage_limit_per_customer: int | None
    starts_at: datetime | None
    ends_at: datetime | None


@strawberry.type(description="A gift card (staff view).")
class GiftCard:
    code: str
    currency: str
    balance: Decimal
    initial: Decimal


@strawberry.type
class ShippingZonePayload:
    shipping_zone: ShippingZone | None
    user_errors: list[CheckoutAdminUserError]


@strawberry.type
class ShippingMethodPayload:
    shipping_method: ShippingMethod | None
    user_errors: list[CheckoutAdminUserError]


@strawberry.type(description="A tax rate for a country or one of its regions.")
class TaxRate:
    country: str
    region: str
    rate: Decimal


@strawberry.type
class TaxRatePayload:
    tax_rate: TaxRate | None
    user_errors: list[CheckoutAdminUserError]


@strawberry.type
class TaxSettingsPayload:
    prices_include_tax: bool | None
    user_errors: list[CheckoutAdminUserError]


@strawberry.type
class PromotionPayload:
    promotion: Promotion | None
    user_errors: list[CheckoutAdminUserError]


@strawberry.type
class GiftCardPayload:
    gift_card: GiftCard | None
    user_errors: list[CheckoutAdminUserError]
