"""Events the catalog publishes. Their payloads are a public contract (see README)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from shared.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class ProductUpserted(DomainEvent):
    event_type: ClassVar[str] = "ProductUpserted"
    product_id: str
    slug: str
    name: str
    status: str
    price_amount: str
    currency: str
    category_id: str | None


@dataclass(frozen=True, kw_only=True)
class PriceChanged(DomainEvent):
    event_type: ClassVar[str] = "PriceChanged"
    product_id: str
    old_amount: str
    old_currency: str
    new_amount: str
    new_currency: str
