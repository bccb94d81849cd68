"""The search document: what the index knows of one published product.

Built from the catalog's ``ProductUpserted`` payload (a public contract, see README); fields the
catalog does not send yet are empty. Stock and rating come from other subgraphs' events and are
kept beside the document (``in_stock``, ``rating``) so a re-published product keeps them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

_SPACES = re.compile(r"\s+")
_TOKEN = re.compile(r"[^\W_]+")
PRICE_BUCKETS: tuple[tuple[Decimal, Decimal | None], ...] = (
    (Decimal(0), Decimal(10)),
    (Decimal(10), Decimal(25)),
    (Decimal(25), Decimal(50)),
    (Decimal(50), Decimal(100)),
    (Decimal(100), Decimal(250)),
    (Decimal(250), Decimal(500)),
    (Decimal(500), Decimal(1000)),
    (Decimal(1000), None),
)
RATING_THRESHOLDS = (4, 3, 2, 1)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def normalize(text: str) -> str:
    """Lowercase, single-spaced: how names are compared for an exact match."""
    return _SPACES.sub(" ", text.strip().lower())


def tokens(text: str) -> list[str]:
    """Words as the engines see them: letters and digits, lowercased."""
    return _TOKEN.findall(text.lower())


def bucket_label(low: Decimal, high: Decimal | None) -> str:
    return f"{low}-{high}" if high is not None else f"{low}-*"


def price_bucket(price: Decimal) -> str:
    """The label of the price bucket holding ``price`` (``[low, high)``)."""
    for low, high in PRICE_BUCKETS:
        if price >= low and (high is None or price < high):
            return bucket_label(low, high)
    return bucket_label(*PRICE_BUCKETS[0])  # negative prices do not exist; be total anyway


def rating_buckets(rating: float) -> list[str]:
    """Thresholds ``rating`` reaches ("4" means 4 stars and up): the rating facet's values."""
    return [str(t) for t in RATING_THRESHOLDS if rating >= t]


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _strings(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list | tuple):
        return ()
    return tuple(str(v) for v in value if v is not None and str(v) != "")


def _attributes(value: Any) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, Mapping):
        return {}
    found = {str(k): _strings(v) for k, v in value.items()}
    return {k: v for k, v in found.items() if k and v}


def _datetime(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class SearchDocument:
    """One product as the search engines index it."""

    product_id: str
    name: str
    slug: str = ""
    description: str = ""
    price: Decimal = Decimal(0)
    currency: str = ""
    category_ids: tuple[str, ...] = ()
    category_names: tuple[str, ...] = ()
    product_type: str = ""
    vendor_id: str = ""
    attributes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    skus: tuple[str, ...] = ()
    image_url: str = ""
    in_stock: bool = True
    rating: float = 0.0
    updated_at: datetime = EPOCH

    @property
    def price_bucket(self) -> str:
        return price_bucket(self.price)

    @property
    def rating_buckets(self) -> list[str]:
        return rating_buckets(self.rating)

    @property
    def brand_terms(self) -> tuple[str, ...]:
        """Category names and brand values: the non-product suggestions."""
        brands = self.attributes.get("brand", ())
        return tuple(dict.fromkeys([*self.category_names, *brands]))

    def with_stock(self, in_stock: bool) -> SearchDocument:
        return replace(self, in_stock=in_stock)

    def with_rating(self, rating: float) -> SearchDocument:
        return replace(self, rating=rating)

    def with_price(self, price: Decimal, currency: str) -> SearchDocument:
        return replace(self, price=price, currency=currency or self.currency)

    def to_json(self) -> dict[str, Any]:
        return {
            "product_id": self.product_id,
            "name": self.name,
            "slug": self.slug,
            "description": self.description,
            "price": str(self.price),
            "currency": self.currency,
            "category_ids": list(self.category_ids),
            "category_names": list(self.category_names),
            "product_type": self.product_type,
            "vendor_id": self.vendor_id,
            "attributes": {k: list(v) for k, v in self.attributes.items()},
            "skus": list(self.skus),
            "image_url": self.image_url,
            "in_stock": self.in_stock,
            "rating": self.rating,
            "updated_at": self.updated_at.isoformat(),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SearchDocument:
        return cls(
            product_id=str(data["product_id"]),
            name=str(data["name"]),
            slug=str(data.get("slug", "")),
            description=str(data.get("description", "")),
            price=_decimal(data.get("price")) or Decimal(0),
            currency=str(data.get("currency", "")),
            category_ids=_strings(data.get("category_ids")),
            category_names=_strings(data.get("category_names")),
            product_type=str(data.get("product_type", "")),
            vendor_id=str(data.get("vendor_id", "")),
            attributes=_attributes(data.get("attributes")),
            skus=_strings(data.get("skus")),
            image_url=str(data.get("image_url", "")),
            in_stock=bool(data.get("in_stock", True)),
            rating=float(data.get("rating", 0.0)),
            updated_at=_datetime(data.get("updated_at")) or EPOCH,
        )


@dataclass(frozen=True, slots=True)
class ProductState:
    """What a ``ProductUpserted`` says: the document and whether the product is searchable."""

    document: SearchDocument
    published: bool
    variant_ids: tuple[str, ...]


def from_product_upserted(payload: Mapping[str, Any], *, occurred_at: datetime) -> ProductState:
    """Read the catalog's payload; missing (newer) fields are empty. The price is the lowest of
    the product's and its variants' prices; ``updated_at`` falls back to the event's time."""
    variants = [v for v in payload.get("variants") or [] if isinstance(v, Mapping)]
    prices = [p for p in (_decimal(v.get("price_amount")) for v in variants) if p is not None]
    product_price = _decimal(payload.get("price_amount"))
    if product_price is not None:
        prices.append(product_price)
    category_ids = list(_strings(payload.get("category_ids")))
    category_id = payload.get("category_id")
    if category_id and str(category_id) not in category_ids:
        category_ids.insert(0, str(category_id))
    document = SearchDocument(
        product_id=str(payload["product_id"]),
        name=str(payload.get("name") or ""),
        slug=str(payload.get("slug") or ""),
        description=str(payload.get("description") or ""),
        price=min(prices) if prices else Decimal(0),
        currency=str(payload.get("currency") or ""),
        category_ids=tuple(category_ids),
        category_names=_strings(payload.get("category_names")),
        product_type=str(payload.get("product_type") or ""),
        vendor_id=str(payload.get("vendor_id") or ""),
        attributes=_attributes(payload.get("attributes")),
        skus=tuple(str(v["sku"]) for v in variants if v.get("sku")),
        image_url=str(payload.get("image_url") or ""),
        updated_at=_datetime(payload.get("updated_at")) or occurred_at,
    )
    return ProductState(
        document=document,
        published=payload.get("status") == "PUBLISHED",
        variant_ids=tuple(str(v["variant_id"]) for v in variants if v.get("variant_id")),
    )
