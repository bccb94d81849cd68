"""The search subgraph's only SQL. Repositories never commit; the unit of work does."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from shared.events import dumps, loads
from shared.sql import upsert
from subgraphs.search.domain.document import ProductState, SearchDocument
from subgraphs.search.domain.models import (
    search_category_labels,
    search_documents,
    search_ratings,
    search_stock,
)

_docs = search_documents.c


@dataclass(frozen=True, slots=True)
class StoredProduct:
    product_id: str
    published: bool
    deleted: bool
    document: SearchDocument
    variant_prices: dict[str, str]
    updated_at: datetime

    @property
    def searchable(self) -> bool:
        return self.published and not self.deleted


def _stored(row: Any) -> StoredProduct:
    return StoredProduct(
        product_id=row.product_id,
        published=row.published,
        deleted=row.deleted,
        document=SearchDocument.from_json(loads(row.document)),
        variant_prices=dict(loads(row.variant_prices)),
        updated_at=row.updated_at,
    )


class SearchDocumentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    @property
    def dialect(self) -> str:
        return self.session.get_bind().dialect.name

    async def get(self, product_id: str) -> StoredProduct | None:
        row = (
            await self.session.execute(
                select(search_documents).where(_docs.product_id == product_id)
            )
        ).first()
        return _stored(row) if row else None

    async def save_product(self, state: ProductState, variant_prices: Mapping[str, str]) -> None:
        """Store the product's newest state; an older one arriving late changes nothing."""
        doc = state.document
        values = {
            "product_id": doc.product_id,
            "published": state.published,
            "deleted": False,
            "document": dumps(doc.to_json()),
            "variant_prices": dumps(dict(variant_prices)),
            "updated_at": doc.updated_at,
        }
        await self.session.execute(
            upsert(
                self.dialect,
                search_documents,
                values,
                key=["product_id"],
                set_={k: v for k, v in values.items() if k != "product_id"},
                where=_docs.updated_at <= doc.updated_at,
            )
        )

    async def remember_category_labels(
        self, labels: Sequence[tuple[str, str]], as_of: datetime
    ) -> None:
        """(category id, name) pairs from a product event; an older event changes nothing."""
        table = search_category_labels
        for category_id, name in dict(labels).items():
            values = {"category_id": category_id, "name": name[:250], "as_of": as_of}
            await self.session.execute(
                upsert(
                    self.dialect,
                    table,
                    values,
                    key=["category_id"],
                    set_={"name": values["name"], "as_of": as_of},
                    where=table.c.as_of <= as_of,
                )
            )

    async def category_labels(self, category_ids: Sequence[str]) -> dict[str, str]:
        table = search_category_labels
        rows = await self.session.execute(
            select(table.c.category_id, table.c.name).where(
                table.c.category_id.in_(list(category_ids))
            )
        )
        return {str(c): str(n) for c, n in rows.all()}

    async def mark_deleted(self, product_id: str, as_of: datetime) -> None:
        """A tombstone: the product is gone, and older upserts arriving late stay ignored."""
        values = {
            "product_id": product_id,
            "published": False,
            "deleted": True,
            "document": dumps(SearchDocument(product_id=product_id, name="").to_json()),
            "variant_prices": "{}",
            "updated_at": as_of,
        }
        await self.session.execute(
            upsert(
                self.dialect,
                search_documents,
                values,
                key=["product_id"],
                set_={"deleted": True, "published": False, "updated_at": as_of},
                where=_docs.updated_at <= as_of,
            )
        )

    async def set_price(
        self,
        product: StoredProduct,
        *,
        variant_id: str | None,
        amount: Decimal,
        currency: str,
        as_of: datetime,
    ) -> None:
        prices = dict(product.variant_prices)
        if variant_id is not None:
            prices[variant_id] = str(amount)
            price = min(Decimal(p) for p in prices.values())
        else:
            price = min([amount, *(Decimal(p) for p in prices.values())])
        document = product.document.with_price(price, currency)
        await self.session.execute(
            update(search_documents)
            .where(_docs.product_id == product.product_id, _docs.updated_at <= as_of)
            .values(
                document=dumps(document.to_json()),
                variant_prices=dumps(prices),
                updated_at=as_of,
            )
        )

    async def set_stock(
        self, variant_id: str, product_id: str, available: int, as_of: datetime
    ) -> None:
        values = {
            "variant_id": variant_id,
            "product_id": product_id,
            "available": available,
            "as_of": as_of,
        }
        await self.session.execute(
            upsert(
                self.dialect,
                search_stock,
                values,
                key=["variant_id"],
                set_={"available": available, "as_of": as_of, "product_id": product_id},
                where=search_stock.c.as_of <= as_of,
            )
        )

    async def product_of_variant(self, variant_id: str) -> str | None:
        found = await self.session.scalar(
            select(search_stock.c.product_id).where(search_stock.c.variant_id == variant_id)
        )
        return str(found) if found is not None else None

    async def add_rating(self, product_id: str, rating: int, sign: int = 1) -> None:
        """One more rating (``sign`` -1: one less), one atomic upsert."""
        await self.session.execute(
            upsert(
                self.dialect,
                search_ratings,
                {"product_id": product_id, "count": sign, "total": sign * rating},
                key=["product_id"],
                set_={
                    "count": search_ratings.c.count + sign,
                    "total": search_ratings.c.total + sign * rating,
                },
            )
        )

    async def _stock_and_ratings(
        self, product_ids: Sequence[str]
    ) -> tuple[dict[str, bool], dict[str, float]]:
        stock_rows = await self.session.execute(
            select(search_stock.c.product_id, func.max(search_stock.c.available))
            .where(search_stock.c.product_id.in_(list(product_ids)))
            .group_by(search_stock.c.product_id)
        )
        stock = {pid: int(most) > 0 for pid, most in stock_rows.all()}
        rating_rows = await self.session.execute(
            select(search_ratings).where(search_ratings.c.product_id.in_(list(product_ids)))
        )
        ratings = {
            row["product_id"]: round(row["total"] / row["count"], 2) if row["count"] else 0.0
            for row in rating_rows.mappings().all()
        }
        return stock, ratings

    async def documents(self, product_ids: Sequence[str]) -> dict[str, SearchDocument | None]:
        """What the index should hold for each product: its document with stock and rating,
        or None when it is not searchable (draft, deleted, unknown)."""
        rows = await self.session.execute(
            select(search_documents).where(_docs.product_id.in_(list(product_ids)))
        )
        stored = {p.product_id: p for p in map(_stored, rows.all())}
        stock, ratings = await self._stock_and_ratings(product_ids)
        found: dict[str, SearchDocument | None] = {}
        for product_id in product_ids:
            product = stored.get(product_id)
            if product is None or not product.searchable:
                found[product_id] = None
                continue
            found[product_id] = product.document.with_stock(
                stock.get(product_id, True)
            ).with_rating(ratings.get(product_id, 0.0))
        return found

    async def searchable_ids(self, *, after: str, limit: int) -> list[str]:
        """Ids of searchable products past ``after``, in id order (for reindexing by batches)."""
        statement = (
            select(_docs.product_id)
            .where(_docs.published.is_(True), _docs.deleted.is_(False), _docs.product_id > after)
            .order_by(_docs.product_id)
            .limit(limit)
        )
        return list((await self.session.execute(statement)).scalars())

    async def searchable_count(self) -> int:
        statement = select(func.count()).where(_docs.published.is_(True), _docs.deleted.is_(False))
        return int(await self.session.scalar(statement) or 0)
