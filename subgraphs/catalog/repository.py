"""The catalog's only SQL.

Repositories (async, on a unit of work's session) read what a use case needs and stage writes;
they never commit. Readers (sync, inside ``Database.read``) serve GraphQL: every statement of a
read runs in one hop, and they return plain views (``ProductView``…) rather than ORM objects.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Table, and_, bindparam, delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session
from sqlmodel import col

from shared.pagination import Page, PageRequest, PaginationError, encode_cursor
from shared.sql import view_columns
from subgraphs.catalog.domain.models import (
    Category,
    CategoryView,
    Collection,
    CollectionProduct,
    CollectionView,
    ImageView,
    Product,
    ProductImage,
    ProductStatus,
    ProductType,
    ProductTypeView,
    ProductVariant,
    ProductView,
    VariantView,
)

_products: Table = Product.__table__  # type: ignore[attr-defined]
_variants: Table = ProductVariant.__table__  # type: ignore[attr-defined]
_categories: Table = Category.__table__  # type: ignore[attr-defined]
_types: Table = ProductType.__table__  # type: ignore[attr-defined]
_collections: Table = Collection.__table__  # type: ignore[attr-defined]
_members: Table = CollectionProduct.__table__  # type: ignore[attr-defined]
_images: Table = ProductImage.__table__  # type: ignore[attr-defined]


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

    async def slugs_taken(self, base: str) -> set[str]:
        """Every slug that is ``base`` or starts with ``base-`` (to pick a free suffix)."""
        pattern = base.replace("%", r"\%").replace("_", r"\_") + "-%"
        statement = select(col(Product.slug)).where(
            or_(col(Product.slug) == base, col(Product.slug).like(pattern, escape="\\"))
        )
        return set((await self.session.execute(statement)).scalars())

    async def variants_of(self, product_id: str) -> list[ProductVariant]:
        statement = (
            select(ProductVariant)
            .where(col(ProductVariant.product_id) == product_id)
            .order_by(col(ProductVariant.position), col(ProductVariant.sku))
        )
        return list((await self.session.execute(statement)).scalars())

    async def first_image(self, product_id: str) -> ProductImage | None:
        statement = (
            select(ProductImage)
            .where(col(ProductImage.product_id) == product_id)
            .order_by(col(ProductImage.position), col(ProductImage.created_at))
            .limit(1)
        )
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def image_digest_used(self, digest: str, *, except_id: str | None = None) -> bool:
        statement = select(col(ProductImage.id)).where(col(ProductImage.digest) == digest)
        if except_id is not None:
            statement = statement.where(col(ProductImage.id) != except_id)
        return (await self.session.execute(statement.limit(1))).first() is not None

    async def image_by_id(self, image_id: str) -> ProductImage | None:
        return await self.session.get(ProductImage, image_id)

    async def delete_image(self, image: ProductImage) -> None:
        await self.session.delete(image)
        await self.session.flush()

    async def image_of(self, product_id: str, digest: str) -> ProductImage | None:
        statement = select(ProductImage).where(
            col(ProductImage.product_id) == product_id, col(ProductImage.digest) == digest
        )
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def images_of(self, product_id: str) -> list[ProductImage]:
        statement = select(ProductImage).where(col(ProductImage.product_id) == product_id)
        return list((await self.session.execute(statement)).scalars())

    async def delete(self, product: Product) -> None:
        """The product and what hangs on it: variants, images' rows, collection places."""
        for table in (_variants, _images, _members):
            await self.session.execute(delete(table).where(table.c.product_id == product.id))
        await self.session.delete(product)

    async def get_by_slug(self, slug: str) -> Product | None:
        statement = select(Product).where(col(Product.slug) == slug)
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def all_slugs(self) -> set[str]:
        return set((await self.session.execute(select(col(Product.slug)))).scalars())

    async def all_skus(self) -> set[str]:
        return set((await self.session.execute(select(col(ProductVariant.sku)))).scalars())

    async def variants_of_many(self, product_ids: Sequence[str]) -> list[ProductVariant]:
        statement = (
            select(ProductVariant)
            .where(col(ProductVariant.product_id).in_(list(product_ids)))
            .order_by(col(ProductVariant.product_id), col(ProductVariant.position))
        )
        return list((await self.session.execute(statement)).scalars())

    async def all_ids(self, *, after: str | None, limit: int) -> list[str]:
        statement = select(col(Product.id)).order_by(col(Product.id)).limit(limit)
        if after is not None:
            statement = statement.where(col(Product.id) > after)
        return list((await self.session.execute(statement)).scalars())

    async def by_ids(self, ids: Sequence[str]) -> list[Product]:
        statement = select(Product).where(col(Product.id).in_(list(ids)))
        return list((await self.session.execute(statement)).scalars())

    async def in_categories(self, category_ids: Sequence[str]) -> list[Product]:
        statement = select(Product).where(col(Product.category_id).in_(list(category_ids)))
        return list((await self.session.execute(statement)).scalars())

    def add(self, *rows: Product | ProductVariant | Category | ProductImage) -> None:
        self.session.add_all(rows)


class CategoryRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, category_id: str) -> Category | None:
        return await self.session.get(Category, category_id)

    async def get_for_update(self, category_id: str) -> Category | None:
        statement = select(Category).where(col(Category.id) == category_id).with_for_update()
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def slug_taken(self, slug: str, *, except_id: str | None = None) -> bool:
        statement = select(col(Category.id)).where(col(Category.slug) == slug)
        if except_id is not None:
            statement = statement.where(col(Category.id) != except_id)
        return (await self.session.execute(statement.limit(1))).first() is not None

    async def parents(self) -> dict[str, str | None]:
        """Every category's parent (category trees are small: hundreds of rows)."""
        rows = await self.session.execute(select(_categories.c.id, _categories.c.parent_id))
        return {row.id: row.parent_id for row in rows}

    async def names(self) -> dict[str, str]:
        rows = await self.session.execute(select(_categories.c.id, _categories.c.name))
        return {row.id: row.name for row in rows}

    async def slugs(self) -> dict[str, str]:
        """slug → id of every category."""
        rows = await self.session.execute(select(_categories.c.slug, _categories.c.id))
        return {row.slug: row.id for row in rows}

    async def chain(self, category_id: str | None) -> list[tuple[str, str]]:
        """(id, name) of the category and its ancestors, from the category up to its root."""
        if category_id is None:
            return []
        rows = await self.session.execute(
            select(_categories.c.id, _categories.c.parent_id, _categories.c.name)
        )
        return category_chain(category_id, {r.id: (r.parent_id, r.name) for r in rows})

    def add(self, category: Category) -> None:
        self.session.add(category)

    async def roots(self) -> list[Category]:
        statement = (
            select(Category)
            .where(col(Category.parent_id).is_(None))
            .order_by(col(Category.position), col(Category.name))
        )
        return list((await self.session.execute(statement)).scalars())


def category_chain(
    category_id: str, tree: dict[str, tuple[str | None, str]]
) -> list[tuple[str, str]]:
    """(id, name) from ``category_id`` up to its root, in a tree of id → (parent id, name)."""
    chain: list[tuple[str, str]] = []
    current: str | None = category_id
    while current is not None and current in tree and len(chain) < 64:
        parent, name = tree[current]
        chain.append((current, name))
        current = parent
    return chain


class ProductTypeRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, type_id: str) -> ProductType | None:
        return await self.session.get(ProductType, type_id)

    async def by_name(self, name: str) -> ProductType | None:
        statement = select(ProductType).where(func.lower(col(ProductType.name)) == name.lower())
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def all(self) -> list[ProductType]:
        return list((await self.session.execute(select(ProductType))).scalars())

    def add(self, product_type: ProductType) -> None:
        self.session.add(product_type)


class CollectionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, collection_id: str) -> Collection | None:
        return await self.session.get(Collection, collection_id)

    async def slug_taken(self, slug: str) -> bool:
        statement = select(col(Collection.id)).where(col(Collection.slug) == slug).limit(1)
        return (await self.session.execute(statement)).first() is not None

    async def rule_based(self) -> list[Collection]:
        statement = select(Collection).where(col(Collection.kind) == "RULES")
        return list((await self.session.execute(statement)).scalars())

    async def set_products(self, collection_id: str, product_ids: Sequence[str]) -> None:
        """Replace the collection's products by ``product_ids``, in that order."""
        await self.session.execute(
            delete(_members).where(_members.c.collection_id == collection_id)
        )
        if product_ids:
            await self.session.execute(
                _members.insert(),
                [
                    {"collection_id": collection_id, "product_id": p, "position": i}
                    for i, p in enumerate(product_ids)
                ],
            )

    async def place(self, product_id: str, member_of: set[str], not_member_of: set[str]) -> None:
        """Make ``product_id`` a member of ``member_of`` and of none of ``not_member_of``."""
        if not_member_of:
            await self.session.execute(
                delete(_members).where(
                    _members.c.product_id == product_id,
                    _members.c.collection_id.in_(sorted(not_member_of)),
                )
            )
        if member_of:
            present = set(
                (
                    await self.session.execute(
                        select(_members.c.collection_id).where(
                            _members.c.product_id == product_id,
                            _members.c.collection_id.in_(sorted(member_of)),
                        )
                    )
                ).scalars()
            )
            missing = sorted(member_of - present)
            if missing:
                await self.session.execute(
                    _members.insert(),
                    [
                        {"collection_id": c, "product_id": product_id, "position": 0}
                        for c in missing
                    ],
                )

    def add(self, collection: Collection) -> None:
        self.session.add(collection)


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
_TYPES = select(*view_columns(_types, ProductTypeView)).order_by(_types.c.name)
_COLLECTIONS = select(*view_columns(_collections, CollectionView)).order_by(_collections.c.name)
_IMAGES_BY_PRODUCT_IDS = (
    select(*view_columns(_images, ImageView))
    .where(_images.c.product_id.in_(bindparam("ids", expanding=True)))
    .order_by(_images.c.product_id, _images.c.position, _images.c.created_at)
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

    def in_collection(
        self, collection_id: str, statuses: frozenset[ProductStatus], request: PageRequest
    ) -> Page[ProductView]:
        """A collection's products in its order (position, then id): keyset pagination."""
        m = _members.c
        statement = (
            select(*_PRODUCT_COLUMNS, m.position)
            .join(_members, m.product_id == _products.c.id)
            .where(m.collection_id == collection_id, _products.c.status.in_(sorted(statuses)))
        )
        if request.after is not None:
            position, product_id = _position_id_cursor(request.after)
            statement = statement.where(
                or_(m.position > position, and_(m.position == position, m.product_id > product_id))
            )
        statement = statement.order_by(m.position, m.product_id).limit(request.first + 1)
        rows = self.session.execute(statement).all()
        items = [(ProductView(*row[:-1]), int(row[-1])) for row in rows[: request.first]]
        return Page(
            items=[p for p, _ in items],
            cursors=[encode_cursor([position, p.id]) for p, position in items],
            has_next_page=len(rows) > request.first,
            has_previous_page=request.after is not None,
        )

    def export_batch(self, *, after: str | None, limit: int) -> list[ProductView]:
        """Every product ordered by id, a batch at a time (export)."""
        statement = select(*_PRODUCT_COLUMNS).order_by(_products.c.id).limit(limit)
        if after is not None:
            statement = statement.where(_products.c.id > after)
        return [ProductView(*row) for row in self.session.execute(statement).all()]


def _position_id_cursor(values: list[Any]) -> tuple[int, str]:
    if len(values) != 2 or not isinstance(values[0], int) or not isinstance(values[1], str):
        raise PaginationError("after is not a valid cursor", field="after")
    return values[0], values[1]


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


class ProductTypeReader:
    def __init__(self, session: Session) -> None:
        self.session = session

    def all(self) -> list[ProductTypeView]:
        return [ProductTypeView(*row) for row in self.session.execute(_TYPES).all()]

    def by_ids(self, ids: Sequence[str]) -> list[ProductTypeView]:
        rows = self.session.execute(_TYPES.where(_types.c.id.in_(list(ids)))).all()
        return [ProductTypeView(*row) for row in rows]


class CollectionReader:
    def __init__(self, session: Session) -> None:
        self.session = session

    def all(self) -> list[CollectionView]:
        return [CollectionView(*row) for row in self.session.execute(_COLLECTIONS).all()]

    def by_ids(self, ids: Sequence[str]) -> list[CollectionView]:
        rows = self.session.execute(_COLLECTIONS.where(_collections.c.id.in_(list(ids)))).all()
        return [CollectionView(*row) for row in rows]

    def by_slug(self, slug: str) -> CollectionView | None:
        rows = self.session.execute(_COLLECTIONS.where(_collections.c.slug == slug)).all()
        return CollectionView(*rows[0]) if rows else None


class ImageReader:
    def __init__(self, session: Session) -> None:
        self.session = session

    def by_product_ids(self, product_ids: Sequence[str]) -> list[ImageView]:
        rows = self.session.execute(_IMAGES_BY_PRODUCT_IDS, {"ids": list(product_ids)})
        return [ImageView(*row) for row in rows.all()]


class CategoryTreeReader:
    """The whole category tree as id → (parent id, name), for exports."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def tree(self) -> dict[str, tuple[str | None, str]]:
        rows = self.session.execute(
            select(_categories.c.id, _categories.c.parent_id, _categories.c.name)
        )
        return {r.id: (r.parent_id, r.name) for r in rows}
