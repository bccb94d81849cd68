"""Catalog queries."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import strawberry
from sqlalchemy.orm import Session
from strawberry.types import Info

from shared.auth import Permission
from shared.graphql.errors import Forbidden, PublicError
from shared.graphql.selection import selects
from shared.graphql.types import Connection
from shared.pagination import Page, PageRequest, PaginationError
from subgraphs.catalog.domain.models import CategoryView, ProductView, VariantView
from subgraphs.catalog.domain.models import ProductStatus as ProductStatusValue
from subgraphs.catalog.graphql.context import CatalogContext
from subgraphs.catalog.graphql.dataloaders import (
    CategoryByIdLoader,
    CollectionByIdLoader,
    ProductByIdLoader,
    ProductBySlugLoader,
    VariantsByProductIdLoader,
    group_variants,
)
from subgraphs.catalog.graphql.inputs import ProductFilterInput
from subgraphs.catalog.graphql.types import Category, Collection, Product, ProductType, can_see
from subgraphs.catalog.repository import (
    CategoryReader,
    CollectionReader,
    ProductFilter,
    ProductReader,
    ProductTypeReader,
    VariantReader,
)


@dataclass(frozen=True)
class _FilterInput:
    """What the client asked for, checked; categories are resolved inside the read."""

    statuses: frozenset[ProductStatusValue]
    category_id: str | None
    category_slug: str | None
    include_subcategories: bool
    search: str | None


def _check_filter(
    info: Info[CatalogContext, None], given: ProductFilterInput | None
) -> _FilterInput:
    given = given or ProductFilterInput()
    statuses = frozenset({ProductStatusValue.PUBLISHED})
    if given.status is not None:
        if not info.context.principal.has(Permission.MANAGE_PRODUCTS) and set(given.status) != {
            ProductStatusValue.PUBLISHED
        }:
            raise Forbidden("Only staff who manage products can list drafts.")
        statuses = frozenset(given.status)
    search = (given.search or "").strip() or None
    if search is not None and len(search) > 200:
        raise PublicError("search is at most 200 characters", code="BAD_USER_INPUT", field="search")
    return _FilterInput(
        statuses=statuses,
        category_id=str(given.category_id) if given.category_id is not None else None,
        category_slug=given.category_slug,
        include_subcategories=bool(given.include_subcategories),
        search=search,
    )


def _product_filter(session: Session, given: _FilterInput) -> ProductFilter:
    category_ids: frozenset[str] | None = None
    if given.category_id is not None or given.category_slug is not None:
        reader = CategoryReader(session)
        category = (
            reader.get(given.category_id)
            if given.category_id is not None
            else reader.by_slug(given.category_slug or "")
        )
        if category is None:
            category_ids = frozenset()
        elif given.include_subcategories:
            category_ids = frozenset(reader.descendant_ids(category.id))
        else:
            category_ids = frozenset({category.id})
    return ProductFilter(statuses=given.statuses, category_ids=category_ids, search=given.search)


@dataclass(frozen=True)
class _ProductsPage:
    page: Page[ProductView]
    total: int | None
    variants: dict[str, list[VariantView]] | None
    categories: list[CategoryView] | None


def _read_products_page(
    session: Session,
    given: _FilterInput,
    request: PageRequest,
    *,
    count: bool,
    variants: bool,
    categories: bool,
) -> _ProductsPage:
    """The page and what its selection asks for, in one read: the page, its variants and its
    categories (one IN each), and the total only when asked."""
    product_filter = _product_filter(session, given)
    products = ProductReader(session)
    page = products.page(product_filter, request)
    ids = [p.id for p in page.items]
    category_ids = list({p.category_id for p in page.items if p.category_id})
    return _ProductsPage(
        page=page,
        total=products.count(product_filter) if count else None,
        variants=(
            group_variants(ids, VariantReader(session).by_product_ids(ids))
            if variants and ids
            else None
        ),
        categories=(
            CategoryReader(session).by_ids(category_ids) if categories and category_ids else None
        ),
    )


def _prime(info: Info[CatalogContext, None], read: _ProductsPage) -> None:
    """Hand what the read found to the request's loaders, so relations resolve at once."""
    loaders = info.context.loaders
    loaders.get(ProductByIdLoader).prime_many({p.id: p for p in read.page.items})
    if read.variants is not None:
        loaders.get(VariantsByProductIdLoader).prime_many(read.variants)
    if read.categories is not None:
        loaders.get(CategoryByIdLoader).prime_many({c.id: c for c in read.categories})


@strawberry.type(name="Query")
class CatalogQuery:
    @strawberry.field(description="Products ordered by name, a page at a time (first ≤ 100).")
    async def products(
        self,
        info: Info[CatalogContext, None],
        first: int | None = 20,
        after: str | None = None,
        filter: ProductFilterInput | None = None,
    ) -> Connection[Product]:
        try:
            request = PageRequest.parse(first, after)
        except PaginationError as exc:
            raise PublicError(str(exc), code="BAD_USER_INPUT", field=exc.field) from exc
        given = _check_filter(info, filter)
        read = partial(
            _read_products_page,
            given=given,
            request=request,
            count=selects(info, "totalCount"),
            variants=selects(info, "edges", "node", "variants"),
            categories=selects(info, "edges", "node", "category"),
        )
        try:
            found = await info.context.db().read(read)
        except PaginationError as exc:  # a cursor that decodes but is not one of ours
            raise PublicError(str(exc), code="BAD_USER_INPUT", field=exc.field) from exc
        _prime(info, found)
        return Connection.from_page(found.page, Product.from_model, total_count=found.total)

    @strawberry.field(description="One product by id or slug (give exactly one).")
    async def product(
        self,
        info: Info[CatalogContext, None],
        id: strawberry.ID | None = None,
        slug: str | None = None,
    ) -> Product | None:
        if (id is None) == (slug is None):
            raise PublicError("Give exactly one of id and slug.", code="BAD_USER_INPUT")
        loaders = info.context.loaders
        model = (
            await loaders.get(ProductByIdLoader).load(str(id))
            if id is not None
            else await loaders.get(ProductBySlugLoader).load(slug or "")
        )
        if model is None or not can_see(info.context.principal, model):
            return None
        return Product.from_model(model)

    @strawberry.field(description="Root categories, in display order.")
    async def categories(self, info: Info[CatalogContext, None]) -> list[Category]:
        roots = await info.context.db().read(lambda s: CategoryReader(s).roots())
        return [Category.from_model(c) for c in roots]

    @strawberry.field(description="One category by id or slug (give exactly one).")
    async def category(
        self,
        info: Info[CatalogContext, None],
        id: strawberry.ID | None = None,
        slug: str | None = None,
    ) -> Category | None:
        if (id is None) == (slug is None):
            raise PublicError("Give exactly one of id and slug.", code="BAD_USER_INPUT")
        if id is not None:
            model = await info.context.loaders.get(CategoryByIdLoader).load(str(id))
        else:
            model = await info.context.db().read(lambda s: CategoryReader(s).by_slug(slug or ""))
        return Category.from_optional(model)

    @strawberry.field(description="Every product type, by name.")
    async def product_types(self, info: Info[CatalogContext, None]) -> list[ProductType]:
        found = await info.context.db().read(lambda s: ProductTypeReader(s).all())
        return [ProductType.from_model(t) for t in found]

    @strawberry.field(description="Every collection, by name.")
    async def collections(self, info: Info[CatalogContext, None]) -> list[Collection]:
        found = await info.context.db().read(lambda s: CollectionReader(s).all())
        return [Collection.from_model(c) for c in found]

    @strawberry.field(description="One collection by id or slug (give exactly one).")
    async def collection(
        self,
        info: Info[CatalogContext, None],
        id: strawberry.ID | None = None,
        slug: str | None = None,
    ) -> Collection | None:
        if (id is None) == (slug is None):
            raise PublicError("Give exactly one of id and slug.", code="BAD_USER_INPUT")
        if id is not None:
            model = await info.context.loaders.get(CollectionByIdLoader).load(str(id))
        else:
            model = await info.context.db().read(lambda s: CollectionReader(s).by_slug(slug or ""))
        return Collection.from_model(model) if model else None
