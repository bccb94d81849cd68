"""Catalog tables and the invariants they keep."""

from __future__ import annotations

import re
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Index, Numeric
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from shared.db import new_metadata
from shared.messaging_tables import define_messaging_tables
from shared.money import Money
from shared.sql import UtcDateTime
from subgraphs.catalog.domain.errors import CatalogError, CatalogErrorCode
from subgraphs.catalog.domain.events import PriceChanged, ProductUpserted

metadata = new_metadata()
messaging = define_messaging_tables(metadata)
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_NAME = 250
MAX_DESCRIPTION = 20_000


class CatalogTable(SQLModel, registry=registry(metadata=metadata)):
    """Base of the catalog's tables (its own MetaData, so its own migrations)."""


def new_id() -> str:
    return str(uuid.uuid4())


def now() -> datetime:
    return datetime.now(UTC)


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:120].rstrip("-")  # a cut may end on a hyphen


class ProductStatus(StrEnum):
    DRAFT = "DRAFT"
    PUBLISHED = "PUBLISHED"


class Category(CatalogTable, table=True):
    __tablename__ = "categories"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    parent_id: str | None = Field(default=None, foreign_key="categories.id", index=True)
    name: str = Field(max_length=MAX_NAME)
    slug: str = Field(max_length=120, unique=True)
    position: int = 0


class Product(CatalogTable, table=True):
    __tablename__ = "products"
    __table_args__ = (Index("ix_products_name_id", "name", "id"),)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    slug: str = Field(max_length=120, unique=True)
    name: str = Field(max_length=MAX_NAME)
    description: str = ""
    status: ProductStatus = Field(default=ProductStatus.DRAFT, max_length=16, index=True)
    price_amount: Decimal = Field(sa_column=Column(Numeric(14, 4), nullable=False))
    currency: str = Field(max_length=3)
    category_id: str | None = Field(default=None, foreign_key="categories.id", index=True)
    created_at: datetime = Field(
        default_factory=now, sa_column=Column(UtcDateTime(), nullable=False)
    )
    updated_at: datetime = Field(
        default_factory=now, sa_column=Column(UtcDateTime(), nullable=False)
    )

    @property
    def price(self) -> Money:
        return Money.of(self.price_amount, self.currency)

    def upserted(self) -> ProductUpserted:
        return ProductUpserted(
            product_id=self.id,
            slug=self.slug,
            name=self.name,
            status=self.status.value,
            price_amount=str(self.price.amount),
            currency=self.currency,
            category_id=self.category_id,
        )

    def change_price(self, price: Money) -> PriceChanged | None:
        old = self.price
        if old == price:
            return None
        self.price_amount = price.amount
        self.currency = price.currency
        return PriceChanged(
            product_id=self.id,
            old_amount=str(old.amount),
            old_currency=old.currency,
            new_amount=str(price.amount),
            new_currency=price.currency,
        )


class ProductVariant(CatalogTable, table=True):
    __tablename__ = "product_variants"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    product_id: str = Field(foreign_key="products.id", index=True, max_length=36)
    sku: str = Field(max_length=64, unique=True)
    name: str = Field(default="", max_length=MAX_NAME)
    options: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    price_amount: Decimal | None = Field(default=None, sa_column=Column(Numeric(14, 4)))
    position: int = 0


@dataclass(frozen=True, slots=True)
class ProductView:
    """A product as read for display: a plain row, no ORM state (product lists are hot)."""

    id: str
    slug: str
    name: str
    description: str
    status: ProductStatus
    price_amount: Decimal
    currency: str
    category_id: str | None
    created_at: datetime
    updated_at: datetime

    @property
    def price(self) -> Money:
        return Money.of(self.price_amount, self.currency)

    @classmethod
    def of(cls, product: Product) -> ProductView:
        return cls(
            id=product.id,
            slug=product.slug,
            name=product.name,
            description=product.description,
            status=ProductStatus(product.status),
            price_amount=product.price_amount,
            currency=product.currency,
            category_id=product.category_id,
            created_at=product.created_at,
            updated_at=product.updated_at,
        )


@dataclass(frozen=True, slots=True)
class CategoryView:
    """A category as read for display."""

    id: str
    parent_id: str | None
    name: str
    slug: str
    position: int


@dataclass(frozen=True, slots=True)
class VariantView:
    """A variant as read for display: a plain row, no ORM state (lists of variants are hot)."""

    id: str
    product_id: str
    sku: str
    name: str
    options: dict[str, Any]
    price_amount: Decimal | None
    position: int


def check_name(name: str, field: str = "name") -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise CatalogError(CatalogErrorCode.REQUIRED, "Name is required.", field=field)
    if len(cleaned) > MAX_NAME:
        raise CatalogError(
            CatalogErrorCode.INVALID, f"Name is longer than {MAX_NAME} characters.", field=field
        )
    return cleaned


def check_slug(slug: str) -> str:
    if not _SLUG.match(slug) or len(slug) > 120:
        raise CatalogError(
            CatalogErrorCode.INVALID,
            "A slug has lowercase letters, digits and single hyphens (at most 120).",
            field="slug",
        )
    return slug


def check_description(description: str) -> str:
    if len(description) > MAX_DESCRIPTION:
        raise CatalogError(
            CatalogErrorCode.INVALID,
            f"Description is longer than {MAX_DESCRIPTION} characters.",
            field="description",
        )
    return description


def check_price(price: Money, field: str = "price") -> Money:
    if price.is_negative:
        raise CatalogError(CatalogErrorCode.INVALID, "A price cannot be negative.", field=field)
    return price
