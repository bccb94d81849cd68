"""The catalog's only SQL. Repositories read and stage writes; they never commit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from shared.pagination import Page, PageRequest, PaginationError, encode_cursor
from subgraphs.catalog.domain.models import (
    Category,
    Product,
    ProductStatus,
    ProductVariant,
    VariantView,
)


@dataclass(frozen=True, slots=True)
class ProductFilter:
    statuses: frozenset[ProductStatus] = frozenset({ProductStatus.PUBLISHED})
    category_ids: frozenset[str] | None = None
    search: str | None = None
    ids: frozenset[str] | None = None


def _conditions(f: ProductFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [col(Product.status).in_(list(f.statuses))]
    if f.category_ids is not None:
        conditions.append(col(Product.category_id).in_(list(f.category_ids)))
    if f.ids is not None:
        conditions.append(col(Product.id).in_(list(f.ids)))
    if f.search:
        pattern = "%" + f.search.lower().replace("%", r"\%").replace("_", r"\_") + "%"
        conditions.append(func.lower(col(Product.name)).like(pattern, escape="\\"))
    return conditions


class ProductRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, product_id: str) -> Product | None:
        return await self.session.get(Product, product_id)

    async def get_for_update(self, product_id: str) -> Product | None:
        statement = select(Product).where(col(Product.id) == product_id).with_for_update()
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def slug_taken(self, slug: str, *, except_id: str | None = None) -> bool:
        statement = select(col(Product.id)).where(col(Product.slug) == slug)
        if except_id is not None:
            statement = statement.where(col(Product.id) != except_id)
        return (await self.session.execute(statement.limit(1))).first() is not None

    async def skus_taken(self, skus: Sequence[str]) -> list[str]:
        if not skus:
            return []
        statement = select(col(ProductVariant.sku)).where(col(ProductVariant.sku).in_(list(skus)))
        return list((await self.session.execute(statement)).scalars())

    def add(self, *rows: Product | ProductVariant | Category) -> None:
        self.session.add_all(rows)

    async def by_ids(self, ids: Sequence[str]) -> list[Product]:
        statement = select(Product).where(col(Product.id).in_(list(ids)))
        return list((await self.session.execute(statement)).scalars())

    async def by_slugs(self, slugs: Sequence[str]) -> list[Product]:
        statement = select(Product).where(col(Product.slug).in_(list(slugs)))
        return list((await self.session.execute(statement)).scalars())

    async def page(self, f: ProductFilter, request: PageRequest) -> Page[Product]:
        """Products ordered by (name, id): keyset pagination, stable under inserts."""
        conditions = _conditions(f)
        statement = select(Product).where(*conditions)
        if request.after is not None:
            name, product_id = _name_id_cursor(request.after)
            statement = statement.where(
                or_(
                    col(Product.name) > name,
                    and_(col(Product.name) == name, col(Product.id) > product_id),
                )
            )
        statement = statement.order_by(col(Product.name), col(Product.id)).limit(request.first + 1)
        rows = list((await self.session.execute(statement)).scalars())
        has_next = len(rows) > request.first
        items = rows[: request.first]
        return Page(
            items=items,
            cursors=[encode_cursor([p.name, p.id]) for p in items],
            has_next_page=has_next,
            has_previous_page=request.after is not None,
        )

    async def count(self, f: ProductFilter) -> int:
        statement = select(func.count()).select_from(Product).where(*_conditions(f))
        return int((await self.session.execute(statement)).scalar_one())


def _name_id_cursor(values: list[Any]) -> tuple[str, str]:
    if len(values) != 2 or not all(isinstance(v, str) for v in values):
        raise PaginationError("after is not a valid cursor", field="after")
    return values[0], values[1]


class VariantRepository:
    """Reads variants as plain rows (``VariantView``): listing them is the hottest read."""

    _columns = ProductVariant.__table__.c  # type: ignore[attr-defined]

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _views(self, condition: ColumnElement[bool]) -> list[VariantView]:
        c = self._columns
        statement = select(*c).where(condition).order_by(c.product_id, c.position, c.sku)
        rows = (await self.session.execute(statement)).mappings()
        return [VariantView(**row) for row in rows]

    async def by_product_ids(self, product_ids: Sequence[str]) -> list[VariantView]:
        return await self._views(self._columns.product_id.in_(list(product_ids)))

    async def by_ids(self, ids: Sequence[str]) -> list[VariantView]:
        return await self._views(self._columns.id.in_(list(ids)))


class CategoryRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, category_id: str) -> Category | None:
        return await self.session.get(Category, category_id)

    async def by_ids(self, ids: Sequence[str]) -> list[Category]:
        statement = select(Category).where(col(Category.id).in_(list(ids)))
        return list((await self.session.execute(statement)).scalars())

    async def children_of(self, parent_ids: Sequence[str]) -> list[Category]:
        statement = (
            select(Category)
            .where(col(Category.parent_id).in_(list(parent_ids)))
            .order_by(col(Category.position), col(Category.name))
        )
        return list((await self.session.execute(statement)).scalars())

    async def roots(self) -> list[Category]:
        statement = (
            select(Category)
            .where(col(Category.parent_id).is_(None))
            .order_by(col(Category.position), col(Category.name))
        )
        return list((await self.session.execute(statement)).scalars())

    async def by_slug(self, slug: str) -> Category | None:
        statement = select(Category).where(col(Category.slug) == slug)
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def descendant_ids(self, category_id: str) -> set[str]:
        """The category and all its descendants (breadth-first; category trees are shallow)."""
        found = {category_id}
        frontier = [category_id]
        while frontier:
            children = await self.children_of(frontier)
            frontier = [c.id for c in children if c.id not in found]
            found.update(frontier)
        return found
