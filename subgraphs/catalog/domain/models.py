"""Catalog tables and the invariants they keep."""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Index, Numeric, UniqueConstraint
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from shared.db import new_metadata
from shared.messaging_tables import define_messaging_tables
from shared.money import Money
from shared.sql import UtcDateTime
from subgraphs.catalog.domain.attributes import AttributeKind, AttributeSpec, ProductTypeSpec
from subgraphs.catalog.domain.collections import CollectionKind, CollectionRules, ProductFacts
from subgraphs.catalog.domain.errors import CatalogError, CatalogErrorCode
from subgraphs.catalog.domain.events import PriceChanged, ProductDeleted, ProductUpserted

metadata = new_metadata()
messaging = define_messaging_tables(metadata)
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_NAME = 250
MAX_DESCRIPTION = 20_000
MAX_SEO_TITLE = 70
MAX_SEO_DESCRIPTION = 300


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
    compare_at_amount: Decimal | None = Field(default=None, sa_column=Column(Numeric(14, 4)))
    product_type_id: str | None = Field(default=None, foreign_key="product_types.id", index=True)
    vendor_id: str | None = Field(default=None, max_length=36, index=True)
    seo_title: str | None = Field(default=None, max_length=MAX_SEO_TITLE)
    seo_description: str | None = Field(default=None, max_length=MAX_SEO_DESCRIPTION)
    attributes: dict[str, list[str]] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False)
    )

    @property
    def price(self) -> Money:
        return Money.of(self.price_amount, self.currency)

    @property
    def compare_at(self) -> Money | None:
        if self.compare_at_amount is None:
            return None
        return Money.of(self.compare_at_amount, self.currency)

    def upserted(self, context: ProductContext | None = None) -> ProductUpserted:
        """The ProductUpserted event: this row plus what ``context`` read around it (variants,
        the category chain, type, first image)."""
        context = context or ProductContext()
        return ProductUpserted(
            product_id=self.id,
            slug=self.slug,
            name=self.name,
            status=ProductStatus(self.status).value,
            price_amount=str(self.price.amount),
            currency=self.currency,
            category_id=self.category_id,
            description=self.description,
            category_ids=[c[0] for c in context.categories],
            category_names=[c[1] for c in context.categories],
            product_type=context.product_type,
            vendor_id=self.vendor_id,
            attributes={k: list(v) for k, v in self.attributes.items()},
            image_url=context.image_url,
            compare_at_amount=str(self.compare_at.amount) if self.compare_at else None,
            variants=[variant_payload(v, self.currency) for v in context.variants],
            seo_title=self.seo_title,
            seo_description=self.seo_description,
            updated_at=self.updated_at.isoformat(),
        )

    def deleted(self) -> ProductDeleted:
        return ProductDeleted(product_id=self.id)

    def facts(self, category_ids: frozenset[str]) -> ProductFacts:
        return ProductFacts(attributes=self.attributes, price=self.price, category_ids=category_ids)

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
    compare_at_amount: Decimal | None = Field(default=None, sa_column=Column(Numeric(14, 4)))
    weight_grams: int | None = None


def variant_payload(variant: ProductVariant | VariantView, currency: str) -> dict[str, Any]:
    """A variant as ProductUpserted carries it (amounts as strings, the product's currency)."""
    price = variant.price_amount
    return {
        "variant_id": variant.id,
        "sku": variant.sku,
        "name": variant.name,
        "price_amount": str(Money.of(price, currency).amount) if price is not None else None,
        "compare_at_amount": (
            str(Money.of(variant.compare_at_amount, currency).amount)
            if variant.compare_at_amount is not None
            else None
        ),
        "currency": currency,
        "options": {str(k): str(v) for k, v in variant.options.items()},
        "weight_grams": variant.weight_grams,
    }


@dataclass(frozen=True, slots=True)
class ProductContext:
    """What a ProductUpserted needs besides the product row. ``categories``: (id, name) from the
    product's category up to its root."""

    variants: Sequence[ProductVariant | VariantView] = ()
    categories: Sequence[tuple[str, str]] = ()
    product_type: str | None = None
    image_url: str | None = None


class ProductType(CatalogTable, table=True):
    """A kind of product and the typed attributes its products carry."""

    __tablename__ = "product_types"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    name: str = Field(max_length=MAX_NAME, unique=True)
    attributes: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )

    def spec(self) -> ProductTypeSpec:
        return product_type_spec(self.name, self.attributes)


def product_type_spec(name: str, attributes: Sequence[dict[str, Any]]) -> ProductTypeSpec:
    return ProductTypeSpec(
        name=name,
        attributes=tuple(
            AttributeSpec(
                name=a["name"],
                kind=AttributeKind(a["kind"]),
                choices=tuple(a.get("choices") or ()),
                required=bool(a.get("required")),
                multiple=bool(a.get("multiple")),
            )
            for a in attributes
        ),
    )


def attribute_json(spec: AttributeSpec) -> dict[str, Any]:
    return {
        "name": spec.name,
        "kind": spec.kind.value,
        "choices": list(spec.choices),
        "required": spec.required,
        "multiple": spec.multiple,
    }


class Collection(CatalogTable, table=True):
    """A manual, ordered list of products, or the products matching ``rules``."""

    __tablename__ = "collections"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    name: str = Field(max_length=MAX_NAME)
    slug: str = Field(max_length=120, unique=True)
    description: str = ""
    kind: str = Field(default=CollectionKind.MANUAL.value, max_length=16)
    rules: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )

    @property
    def rule_set(self) -> CollectionRules:
        return CollectionRules.from_json(self.rules)


class CollectionProduct(CatalogTable, table=True):
    """A product in a collection: placed by staff (manual) or matched by the rules."""

    __tablename__ = "collection_products"

    collection_id: str = Field(foreign_key="collections.id", primary_key=True, max_length=36)
    product_id: str = Field(foreign_key="products.id", primary_key=True, max_length=36, index=True)
    position: int = 0


class ProductImage(CatalogTable, table=True):
    """An uploaded image: its stored renditions are named from ``digest`` (content-addressed)."""

    __tablename__ = "product_images"
    __table_args__ = (UniqueConstraint("product_id", "digest"),)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    product_id: str = Field(foreign_key="products.id", index=True, max_length=36)
    digest: str = Field(max_length=64)
    alt: str = Field(default="", max_length=MAX_NAME)
    width: int
    height: int
    format: str = Field(max_length=8, description="jpeg, png or webp: the fallback's format")
    renditions: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    position: int = 0
    created_at: datetime = Field(
        default_factory=now, sa_column=Column(UtcDateTime(), nullable=False)
    )


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
    compare_at_amount: Decimal | None = None
    product_type_id: str | None = None
    vendor_id: str | None = None
    seo_title: str | None = None
    seo_description: str | None = None
    attributes: dict[str, list[str]] = field(default_factory=dict)

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
            compare_at_amount=product.compare_at_amount,
            product_type_id=product.product_type_id,
            vendor_id=product.vendor_id,
            seo_title=product.seo_title,
            seo_description=product.seo_description,
            attributes=dict(product.attributes),
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
    compare_at_amount: Decimal | None = None
    weight_grams: int | None = None


@dataclass(frozen=True, slots=True)
class ProductTypeView:
    id: str
    name: str
    attributes: list[dict[str, Any]]


@dataclass(frozen=True, slots=True)
class CollectionView:
    id: str
    name: str
    slug: str
    description: str
    kind: str
    rules: list[dict[str, Any]]


@dataclass(frozen=True, slots=True)
class ImageView:
    id: str
    product_id: str
    digest: str
    alt: str
    width: int
    height: int
    format: str
    renditions: list[dict[str, Any]]
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


def check_seo(title: str | None, description: str | None) -> tuple[str | None, str | None]:
    """SEO title and description: trimmed, empty means none, within search engines' limits."""
    title = " ".join(title.split()) if title is not None else None
    description = " ".join(description.split()) if description is not None else None
    if title and len(title) > MAX_SEO_TITLE:
        raise CatalogError(
            CatalogErrorCode.INVALID,
            f"An SEO title has at most {MAX_SEO_TITLE} characters.",
            field="seoTitle",
        )
    if description and len(description) > MAX_SEO_DESCRIPTION:
        raise CatalogError(
            CatalogErrorCode.INVALID,
            f"An SEO description has at most {MAX_SEO_DESCRIPTION} characters.",
            field="seoDescription",
        )
    return title or None, description or None


def check_compare_at(compare_at: Money | None, price: Money, field: str) -> Money | None:
    """A compare-at price ("was") is in the price's currency and above the price."""
    if compare_at is None:
        return None
    if compare_at.currency != price.currency:
        raise CatalogError(
            CatalogErrorCode.INVALID,
            "A compare-at price is in the price's currency.",
            field=field,
        )
    if compare_at.amount <= price.amount:
        raise CatalogError(
            CatalogErrorCode.INVALID,
            "A compare-at price is higher than the price.",
            field=field,
        )
    return compare_at


def unique_slug(base: str, taken: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3``… — the first one not in ``taken``."""
    if base not in taken:
        return base
    n = 2
    while True:
        suffix = f"-{n}"
        candidate = base[: 120 - len(suffix)].rstrip("-") + suffix
        if candidate not in taken:
            return candidate
        n += 1


def would_cycle(
    category_id: str, new_parent_id: str | None, parents: dict[str, str | None]
) -> bool:
    """Whether making ``new_parent_id`` the parent of ``category_id`` closes a loop, given every
    category's current parent."""
    seen: set[str] = set()
    current = new_parent_id
    while current is not None:
        if current == category_id or current in seen:
            return True
        seen.add(current)
        current = parents.get(current)
    return False
