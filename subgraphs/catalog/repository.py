"""The catalog's only SQL.

Repositories (async, on a unit of work's session) read what a use case needs and stage writes;
they never commit. Readers (sync, inside ``Database.read``) serve GraphQL: every statement of a
read runs in one hop, and they return plain views (``ProductView``…) rather than ORM objects.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Table, and_, bindparam, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session
from sqlmodel import col

from shared.pagination import Page, PageRequest, PaginationError, encode_cursor
from shared.sql import view_columns
from subgraphs.catalog.domain.models import (
    Category,
    CategoryView,
    Product,
    ProductStatus,
    ProductVariant,
    ProductView,
    VariantView,
)

_products: Table = Product.__table__  # type: ignore[attr-defined]
_variants: Table = ProductVariant.__table__  # type: ignore[attr-defined]
_categories: Table = Category.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class ProductFilter:
    statuses: frozenset[ProductStatus] = frozenset({ProductStatus.PUBLISHED})
    category_ids: frozenset[str] | None = None
    search: str | None = None
    ids: frozenset[str] | None = None


def _conditions(f: ProductFilter) -> list[ColumnElement[bool]]:
    c = _products.c
    statuses = sorted(f.statuses)
    conditions: list[ColumnElement[bool]] = [
        c.status == statuses[0] if len(statuses) == 1 else c.status.in_(statuses)  # [] matches none
    ]
    if f.category_ids is not None:
        conditions.append(c.category_id.in_(list(f.category_ids)))
    if f.ids is not None:
        conditions.append(c.id.in_(list(f.ids)))
    if f.search:
        pattern = "%" + f.search.lower().replace("%", r"\%").replace("_", r"\_") + "%"
        conditions.append(func.lower(c.name).like(pattern, escape="\\"))
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


class CategoryRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, category_id: str) -> Category | None:
        return await self.session.get(Category, category_id)

    async def roots(self) -> list[Category]:
        statement = (
            select(Category)
            .where(col(Category.parent_id).is_(None))
            .order_by(col(Category.position), col(Category.name))
        )
        return list((await self.session.execute(statement)).scalars())


# Built once: executing them costs a cache lookup, not a statement build. IN lists are expanding
# parameters, so one compiled form serves every list length.
_PRODUCT_COLUMNS = view_columns(_products, ProductView)
_PRODUCTS_BY_IDS = select(*_PRODUCT_COLUMNS).where(
    _products.c.id.in_(bindparam("ids", expanding=True))
)
_PRODUCTS_BY_SLUGS = select(*_PRODUCT_COLUMNS).where(
    _products.c.slug.in_(bindparam("slugs", expanding=True))
)
_VARIANTS = select(*view_columns(_variants, VariantView)).order_by(
    _variants.c.product_id, _variants.c.position, _variants.c.sku
)
_VARIANTS_BY_PRODUCT_IDS = _VARIANTS.where(
    _variants.c.product_id.in_(bindparam("ids", expanding=True))
)
_VARIANTS_BY_IDS = _VARIANTS.where(_variants.c.id.in_(bindparam("ids", expanding=True)))
_CATEGORIES = select(*view_columns(_categories, CategoryView)).order_by(
    _categories.c.position, _categories.c.name
)


class ProductReader:
    def __init__(self, session: Session) -> None:
        self.session = session

    def by_ids(self, ids: Sequence[str]) -> list[ProductView]:
        rows = self.session.execute(_PRODUCTS_BY_IDS, {"ids": list(ids)})
        return [ProductView(*row) for row in rows.all()]

    def by_slugs(self, slugs: Sequence[str]) -> list[ProductView]:
        rows = self.session.execute(_PRODUCTS_BY_SLUGS, {"slugs": list(slugs)})
        return [ProductView(*row) for row in rows.all()]

    def page(self, f: ProductFilter, request: PageRequest) -> Page[ProductView]:
        """Products ordered by (name, id): keyset pagination, stable under inserts."""
        c = _products.c
        statement = select(*_PRODUCT_COLUMNS).where(*_conditions(f))
        if request.after is not None:
            name, product_id = _name_id_cursor(request.after)
            statement = statement.where(or_(c.name > name, and_(c.name == name, c.id > product_id)))
        statement = statement.order_by(c.name, c.id).limit(request.first + 1)
        rows = [ProductView(*row) for row in self.session.execute(statement).all()]
        items = rows[: request.first]
        return Page(
            items=items,
            cursors=[encode_cursor([p.name, p.id]) for p in items],
            has_next_page=len(rows) > request.first,
            has_previous_page=request.after is not None,
        )

    def count(self, f: ProductFilter) -> int:
        statement = select(func.count()).select_from(_products).where(*_conditions(f))
        return int(self.session.execute(statement).scalar_one())


def _name_id_cursor(values: list[Any]) -> tuple[str, str]:
    if len(values) != 2 or not all(isinstance(v, str) for v in values):
        raise PaginationError("after is not a valid cursor", field="after")
    return values[0], values[1]


class VariantReader:
    def __init__(self, session: Session) -> None:
        self.session = session

    def by_product_ids(self, product_ids: Sequence[str]) -> list[VariantView]:
        rows = self.session.execute(_VARIANTS_BY_PRODUCT_IDS, {"ids": list(product_ids)})
        return [VariantView(*row) for row in rows.all()]

    def by_ids(self, ids: Sequence[str]) -> list[VariantView]:
        rows = self.session.execute(_VARIANTS_BY_IDS, {"ids": list(ids)})
        return [VariantView(*row) for row in rows.all()]


class CategoryReader:
    def __init__(self, session: Session) -> None:
        self.session = session

    def _select(self, condition: ColumnElement[bool]) -> list[CategoryView]:
        rows = self.session.execute(_CATEGORIES.where(condition)).all()
        return [CategoryView(*row) for row in rows]

    def get(self, category_id: str) -> CategoryView | None:
        found = self._select(_categories.c.id == category_id)
        return found[0] if found else None

    def by_ids(self, ids: Sequence[str]) -> list[CategoryView]:
        return self._select(_categories.c.id.in_(list(ids)))

    def by_slug(self, slug: str) -> CategoryView | None:
        found = self._select(_categories.c.slug == slug)
        return found[0] if found else None

    def children_of(self, parent_ids: Sequence[str]) -> list[CategoryView]:
        return self._select(_categories.c.parent_id.in_(list(parent_ids)))

    def roots(self) -> list[CategoryView]:
        return self._select(_categories.c.parent_id.is_(None))

    def descendant_ids(self, category_id: str) -> set[str]:
        """The category and all its descendants (breadth-first; category trees are shallow)."""
        found = {category_id}
        frontier = [category_id]
        while frontier:
            children = self.children_of(frontier)
            frontier = [c.id for c in children if c.id not in found]
            found.update(frontier)
        return found
