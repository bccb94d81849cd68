"""Events the catalog publishes. Their payloads are a public contract (see README): search and
checkout build their read models from them, reviews learns which products exist."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, ClassVar

from shared.events import DomainEvent, dumps, loads


@dataclass(frozen=True, kw_only=True)
class ProductUpserted(DomainEvent):
    """The whole product as it is now, after every create, update, publish or import."""

    event_type: ClassVar[str] = "ProductUpserted"
    product_id: str
    slug: str
    name: str
    status: str
    price_amount: str
    currency: str
    category_id: str | None
    description: str = ""
    category_ids: list[str] = field(default_factory=list)
    category_names: list[str] = field(default_factory=list)
    product_type: str | None = None
    vendor_id: str | None = None
    attributes: dict[str, list[str]] = field(default_factory=dict)
    image_url: str | None = None
    compare_at_amount: str | None = None
    variants: list[dict[str, Any]] = field(default_factory=list)
    seo_title: str | None = None
    seo_description: str | None = None
    updated_at: str = ""

    def payload(self) -> dict[str, Any]:
        # The fields hold JSON values already: one orjson round trip copies them, where the
        # base class's dataclasses.asdict deep-copies field by field (~1 ms for a product with
        # variants — most of the time of seeding 100,000 products).
        shallow = {f.name: getattr(self, f.name) for f in fields(self)}
        return loads(dumps(shallow))  # type: ignore[no-any-return]


@dataclass(frozen=True, kw_only=True)
class ProductDeleted(DomainEvent):
    event_type: ClassVar[str] = "ProductDeleted"
    product_id: str


@dataclass(frozen=True, kw_only=True)
class PriceChanged(DomainEvent):
    """A base price (``variant_id`` None) or a variant's own price changed."""

    event_type: ClassVar[str] = "PriceChanged"
    product_id: str
    old_amount: str
    old_currency: str
    new_amount: str
    new_currency: str
    variant_id: str | None = None
