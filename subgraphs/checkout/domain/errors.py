"""The checkout subgraph's error codes: stable, part of the API."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from shared.idempotency import IdempotencyError, IdempotencyKeyReused


class CartErrorCode(StrEnum):
    """Why a cart or checkout mutation refused its input."""

    INVALID = "INVALID"
    REQUIRED = "REQUIRED"
    CART_NOT_FOUND = "CART_NOT_FOUND"
    CART_NOT_ACTIVE = "CART_NOT_ACTIVE"
    INVALID_MERCHANDISE_LINE = "INVALID_MERCHANDISE_LINE"
    LINE_NOT_FOUND = "LINE_NOT_FOUND"
    MAXIMUM_QUANTITY_EXCEEDED = "MAXIMUM_QUANTITY_EXCEEDED"
    MAXIMUM_LINES_EXCEEDED = "MAXIMUM_LINES_EXCEEDED"
    CURRENCY_MISMATCH = "CURRENCY_MISMATCH"
    PRODUCT_UNAVAILABLE = "PRODUCT_UNAVAILABLE"
    INVALID_POSTAL_CODE = "INVALID_POSTAL_CODE"
    UNSUPPORTED_COUNTRY = "UNSUPPORTED_COUNTRY"
    SHIPPING_ADDRESS_REQUIRED = "SHIPPING_ADDRESS_REQUIRED"
    SHIPPING_METHOD_REQUIRED = "SHIPPING_METHOD_REQUIRED"
    SHIPPING_METHOD_NOT_AVAILABLE = "SHIPPING_METHOD_NOT_AVAILABLE"
    EMAIL_REQUIRED = "EMAIL_REQUIRED"
    INVALID_EMAIL = "INVALID_EMAIL"
    EMPTY_CART = "EMPTY_CART"
    INSUFFICIENT_STOCK = "INSUFFICIENT_STOCK"
    DISCOUNT_NOT_APPLICABLE = "DISCOUNT_NOT_APPLICABLE"
    GIFT_CARD_NOT_APPLICABLE = "GIFT_CARD_NOT_APPLICABLE"
    CHECKOUT_IN_PROGRESS = "CHECKOUT_IN_PROGRESS"
    SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE"
    IDEMPOTENCY_KEY_REUSED = "IDEMPOTENCY_KEY_REUSED"
    PAYMENT_REQUIRED = "PAYMENT_REQUIRED"
    INVALID_PAYMENT = "INVALID_PAYMENT"


class CheckoutAdminErrorCode(StrEnum):
    """Why a staff mutation (shipping, tax, promotions, gift cards) refused its input."""

    INVALID = "INVALID"
    REQUIRED = "REQUIRED"
    NOT_FOUND = "NOT_FOUND"
    DUPLICATE = "DUPLICATE"


@dataclass(frozen=True, slots=True)
class StockShortage:
    """One line the inventory could not reserve."""

    variant_id: str
    requested: int
    available: int


class CartError(Exception):
    def __init__(
        self,
        code: CartErrorCode,
        message: str,
        *,
        field: Sequence[str] | str | None = None,
        shortages: Sequence[StockShortage] = (),
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field: list[str] | None = (
            [field] if isinstance(field, str) else (list(field) if field is not None else None)
        )
        self.shortages = list(shortages)

    @classmethod
    def from_idempotency(cls, error: IdempotencyError) -> CartError:
        code = (
            CartErrorCode.IDEMPOTENCY_KEY_REUSED
            if isinstance(error, IdempotencyKeyReused)
            else CartErrorCode.INVALID
        )
        return cls(code, error.message, field=error.field)


class CartErrors(Exception):
    """Several field-level problems at once (an address with three bad fields)."""

    def __init__(self, errors: Sequence[CartError]) -> None:
        super().__init__("; ".join(e.message for e in errors))
        self.errors = list(errors)


class AdminError(Exception):
    def __init__(
        self, code: CheckoutAdminErrorCode, message: str, *, field: str | None = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
