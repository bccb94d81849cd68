"""Checkout tables and their rules: carts and lines, the catalog's variants as checkout knows
them, shipping zones and methods, tax rates and the shop's tax setting, promotions and their
uses, gift cards and their uses, completed checkouts."""

from __future__ import annotations

import secrets
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Index, Numeric, UniqueConstraint, text
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from shared.db import new_metadata
from shared.messaging_tables import define_messaging_tables
from shared.sql import UtcDateTime

metadata = new_metadata()
messaging = define_messaging_tables(metadata)

MAX_QUANTITY_PER_LINE = 99
MAX_LINES_PER_CART = 100
GUEST_CART_TTL = timedelta(days=7)  # at least 24 h (README); refreshed by every change
CART_ID_BYTES = 24  # 192 random bits


class CheckoutTable(SQLModel, registry=registry(metadata=metadata)):
    """Base of the checkout subgraph's tables."""


def now() -> datetime:
    return datetime.now(UTC)


def new_id() -> str:
    return str(uuid.uuid4())


def new_cart_token() -> str:
    """An unguessable cart id: 192 random bits, URL-safe (a guest cart's bearer secret)."""
    return secrets.token_urlsafe(CART_ID_BYTES)


def _money_column(nullable: bool = False) -> Any:
    return Field(
        default=None if nullable else Decimal(0),
        sa_column=Column(Numeric(14, 4), nullable=nullable),
    )


def _time_column(nullable: bool = False) -> Any:
    if nullable:
        return Field(default=None, sa_column=Column(UtcDateTime(), nullable=True))
    return Field(default_factory=now, sa_column=Column(UtcDateTime(), nullable=False))


class CartStatus(StrEnum):
    ACTIVE = "ACTIVE"
    MERGED = "MERGED"
    COMPLETED = "COMPLETED"


class Cart(CheckoutTable, table=True):
    __tablename__ = "carts"
    __table_args__ = (
        # One active cart per customer (partial unique index on both dialects).
        Index(
            "uq_carts_active_customer",
            "customer_id",
            unique=True,
            sqlite_where=text("status = 'ACTIVE'"),
            postgresql_where=text("status = 'ACTIVE'"),
        ),
    )

    id: str = Field(default_factory=new_cart_token, primary_key=True, max_length=64)
    customer_id: str | None = Field(default=None, max_length=64)
    email: str | None = Field(default=None, max_length=254)
    status: str = Field(default=CartStatus.ACTIVE, max_length=16)
    currency: str | None = Field(default=None, max_length=3)
    discount_codes: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    gift_card_codes: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    shipping_address: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    shipping_method_id: str | None = Field(default=None, max_length=36)
    checkout_id: str | None = Field(default=None, max_length=64)
    completing_key: str | None = Field(default=None, max_length=255)
    completing_since: datetime | None = _time_column(nullable=True)
    created_at: datetime = _time_column()
    updated_at: datetime = _time_column()
    expires_at: datetime | None = _time_column(nullable=True)

    @property
    def is_guest(self) -> bool:
        return self.customer_id is None

    @property
    def customer_key(self) -> str | None:
        """Who a promotion's per-customer limit counts: the customer, else the email."""
        if self.customer_id is not None:
            return f"customer:{self.customer_id}"
        if self.email:
            return f"email:{self.email.lower()}"
        return None

    def is_expired(self, at: datetime | None = None) -> bool:
        return self.expires_at is not None and self.expires_at <= (at or now())

    def touch(self) -> None:
        """A change: guest carts live ``GUEST_CART_TTL`` past their last change."""
        self.updated_at = now()
        self.expires_at = self.updated_at + GUEST_CART_TTL if self.is_guest else None


class CartLine(CheckoutTable, table=True):
    __tablename__ = "cart_lines"
    __table_args__ = (UniqueConstraint("cart_id", "variant_id"),)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    cart_id: str = Field(max_length=64, index=True)
    variant_id: str = Field(max_length=64)
    quantity: int
    price_at_add: Decimal = _money_column()
    created_at: datetime = _time_column()


class CustomerContact(CheckoutTable, table=True):
    """A signed-in customer's email and name, from accounts' CustomerContactChanged: fills the
    email of their carts (personal data: erased on CustomerDeleted)."""

    __tablename__ = "customer_contacts"

    customer_id: str = Field(primary_key=True, max_length=64)
    email: str = Field(max_length=254)
    first_name: str = Field(default="", max_length=120)
    last_name: str = Field(default="", max_length=120)
    as_of: datetime = _time_column()


class CatalogVariant(CheckoutTable, table=True):
    """A sellable variant as the catalog last announced it (ProductUpserted, PriceChanged)."""

    __tablename__ = "catalog_variants"

    variant_id: str = Field(primary_key=True, max_length=64)
    product_id: str = Field(max_length=64, index=True)
    sku: str = Field(default="", max_length=120)
    product_name: str = Field(default="", max_length=250)
    variant_name: str = Field(default="", max_length=250)
    price_amount: Decimal = _money_column()
    currency: str = Field(max_length=3)
    weight_grams: int = 0
    available: bool = True
    as_of: datetime = _time_column()

    @property
    def display_name(self) -> str:
        if self.variant_name and self.variant_name != self.product_name:
            return f"{self.product_name} — {self.variant_name}"
        return self.product_name


class ShippingZone(CheckoutTable, table=True):
    __tablename__ = "shipping_zones"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    name: str = Field(max_length=120)
    countries: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class RateKind(StrEnum):
    FLAT = "FLAT"
    WEIGHT = "WEIGHT"


class ShippingMethod(CheckoutTable, table=True):
    __tablename__ = "shipping_methods"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    zone_id: str = Field(max_length=36, index=True)
    name: str = Field(max_length=120)
    rate_kind: str = Field(default=RateKind.FLAT, max_length=16)
    currency: str = Field(max_length=3)
    flat_amount: Decimal | None = _money_column(nullable=True)
    weight_bands: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    free_over: Decimal | None = _money_column(nullable=True)
    active: bool = True


class TaxRate(CheckoutTable, table=True):
    __tablename__ = "tax_rates"
    __table_args__ = (UniqueConstraint("country", "region"),)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    country: str = Field(max_length=2)
    region: str = Field(default="", max_length=10)
    rate: Decimal = Field(sa_column=Column(Numeric(8, 6), nullable=False))


class ShopSettings(CheckoutTable, table=True):
    """One row (id 1): shop-wide checkout settings."""

    __tablename__ = "shop_settings"

    id: int = Field(default=1, primary_key=True)
    prices_include_tax: bool = False


class Promotion(CheckoutTable, table=True):
    __tablename__ = "promotions"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    code: str = Field(max_length=64, unique=True)
    name: str = Field(max_length=120)
    kind: str = Field(max_length=20)
    value: Decimal = _money_column()
    currency: str | None = Field(default=None, max_length=3)
    buy_variant_id: str | None = Field(default=None, max_length=64)
    buy_quantity: int = 0
    get_quantity: int = 0
    starts_at: datetime | None = _time_column(nullable=True)
    ends_at: datetime | None = _time_column(nullable=True)
    usage_limit: int | None = None
    usage_limit_per_customer: int | None = None
    used_count: int = 0
    active: bool = True


class PromotionUse(CheckoutTable, table=True):
    """One use of a promotion by a checkout. A promotion with a per-customer limit gives each of
    the customer's uses a ``slot`` 1…limit, unique per customer: two concurrent checkouts of
    the same customer cannot both take the last slot (the database refuses the second)."""

    __tablename__ = "promotion_uses"
    __table_args__ = (
        UniqueConstraint("promotion_id", "checkout_id"),
        UniqueConstraint("promotion_id", "customer_key", "slot", name="uq_promotion_uses_slot"),
    )

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    promotion_id: str = Field(max_length=36, index=True)
    checkout_id: str = Field(max_length=64)
    customer_key: str = Field(max_length=254, index=True)
    slot: int | None = None
    created_at: datetime = _time_column()


class GiftCard(CheckoutTable, table=True):
    """A gift card; the balance is kept in minor units so it changes by one atomic statement."""

    __tablename__ = "gift_cards"

    code: str = Field(primary_key=True, max_length=64)
    currency: str = Field(max_length=3)
    initial_minor: int
    balance_minor: int
    active: bool = True
    expires_at: datetime | None = _time_column(nullable=True)
    created_at: datetime = _time_column()


class GiftCardUse(CheckoutTable, table=True):
    __tablename__ = "gift_card_uses"
    __table_args__ = (UniqueConstraint("code", "checkout_id"),)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    code: str = Field(max_length=64)
    checkout_id: str = Field(max_length=64)
    amount_minor: int
    created_at: datetime = _time_column()


class Checkout(CheckoutTable, table=True):
    """A completed checkout: what was bought and charged, as published in CheckoutCompleted."""

    __tablename__ = "checkouts"

    id: str = Field(default_factory=new_cart_token, primary_key=True, max_length=64)
    cart_id: str = Field(max_length=64, index=True)  # a reopened cart checks out again
    customer_id: str | None = Field(default=None, max_length=64, index=True)
    email: str = Field(max_length=254)
    reservation_id: str = Field(max_length=64)
    order_id: str | None = Field(default=None, max_length=64, unique=True)
    order_token: str | None = Field(default=None, max_length=64)
    total: Decimal = _money_column()
    currency: str = Field(max_length=3)
    summary: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    completed_at: datetime = _time_column()
