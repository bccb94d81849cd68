"""Helpers of the search tests: catalog-shaped events, a small deterministic product set."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from shared.events import Envelope
from subgraphs.search.domain.document import SearchDocument

T0 = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


def upserted(
    product_id: str,
    name: str,
    *,
    status: str = "PUBLISHED",
    price: str = "10.00",
    at: datetime = T0,
    **fields: Any,
) -> Envelope:
    """A ProductUpserted as the catalog publishes it (full contract)."""
    payload: dict[str, Any] = {
        "product_id": product_id,
        "slug": name.lower().replace(" ", "-"),
        "name": name,
        "status": status,
        "price_amount": price,
        "currency": "EUR",
        "category_id": None,
        "updated_at": at.isoformat(),
        **fields,
    }
    return Envelope(
        type="ProductUpserted", source="catalog", key=product_id, occurred_at=at, payload=payload
    )


def deleted(product_id: str, *, at: datetime) -> Envelope:
    return Envelope(
        type="ProductDeleted",
        source="catalog",
        key=product_id,
        occurred_at=at,
        payload={"product_id": product_id},
    )


COLORS = ("red", "blue", "green")
SIZES = ("S", "M", "L", "XL")
NAMES = (
    "Linen Shirt",
    "Oxford Shirt",
    "Wool Sweater",
    "Cotton Trousers",
    "Leather Boots",
    "Silk Scarf",
)


def catalog(n: int = 60) -> list[SearchDocument]:
    """``n`` products spread over names, categories, colors, sizes, prices, stock and ratings."""
    docs = []
    for i in range(n):
        base = NAMES[i % len(NAMES)]
        docs.append(
            SearchDocument(
                product_id=f"p{i:03d}",
                name=base if i < len(NAMES) else f"{base} {i}",
                description=f"A fine {base.lower()} for every day",
                price=Decimal(5 + (i * 7) % 300),
                currency="EUR",
                category_ids=("apparel", f"cat-{i % 3}"),
                category_names=("Apparel", f"Category {i % 3}"),
                attributes={
                    "color": (COLORS[i % 3],),
                    "size": (SIZES[i % 4], SIZES[(i + 1) % 4]),
                    "brand": ("Acme" if i % 2 else "Northwind",),
                },
                skus=(f"SKU-{i:04d}",),
                in_stock=i % 5 != 0,
                rating=float(i % 6),
                updated_at=T0 + timedelta(minutes=i),
            )
        )
    return docs
