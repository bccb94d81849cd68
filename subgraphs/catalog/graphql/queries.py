"""Catalog queries."""

from __future__ import annotations

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.types import Info

from shared.auth import Permission
from shared.graphql.errors import Forbidden, PublicError
from shared.graphql.selection import selects
from shared.graphql.types import Connection
from shared.pagination import PageRequest, PaginationError
from subgraphs.catalog.domain.models import Product as ProductModel
from subgraphs.catalog.domain.models import ProductStatus as ProductStatusValue
from subgraphs.catalog.domain.models import VariantView
from subgraphs.catalog.graphql.context import CatalogContext
from subgraphs.catalog.graphql.dataloaders import (
    CategoryByIdLoader,
    ProductByIdLoader,
    ProductBySlugLoader,
    VariantsByProductIdLoader,
)
from subgraphs.catalog.graphql.inputs import ProductFilterInput
from subgraphs.catalog.graphql.types import Category, Product, can_see
from subgraphs.catalog.repository import (
    CategoryRepository,
    ProductFilter,
    ProductRepository,
    VariantRepository,
)


async def _filter(
    info: Info[CatalogContext, None], given: ProductFilterInput | None
) -> ProductFilter:
    given = given or ProductFilterInput()
    statuses = frozenset({ProductStatusValue.PUBLISHED})
    if given.status is not None:
        if not info.context.principal.has(Permission.MANAGE_PRODUCTS) and set(given.status) != {
            ProductStatusValue.PUBLISHED
        }:
            raise Forbidden("Only staff who manage products can list drafts.")
        statuses = frozenset(given.status)
    category_ids: frozenset[str] | None = None
    if given.category_id is not None or given.category_slug is not None:
        async with info.context.db().session() as session:
            repo = CategoryRepository(session)
            category = (
                await repo.get(str(given.category_id))
                if given.category_id is not None
                else await repo.by_slug(given.category_slug or "")
            )
            if category is None:
                category_ids = frozenset()
            elif given.include_subcategories:
                category_ids = frozenset(await repo.descendant_ids(category.id))
            else:
                category_ids = frozenset({category.id})
    search = (given.search or "").strip() or None
    if search is not None and len(search) > 200:
        raise PublicError("search is at most 200 characters", code="BAD_USER_INPUT", field="search")
    return ProductFilter(statuses=statuses, category_ids=category_ids, search=search)


async def _prefetch(
    info: Info[CatalogContext, None], session: AsyncSession, products: list[ProductModel]
) -> None:
    """Prime the request's loaders with what the selection will ask for, on the list's own
    session: the same statements the loaders would run, without a session (and, on SQLite, a
    thread hop) per relation."""
    loaders = info.context.loaders
    product_loader = loaders.get(ProductByIdLoader)
    for product in products:
        product_loader.prime(product.id, product)
    ids = [p.id for p in products]
    if ids and selects(info, "edges", "node", "variants"):
        grouped: dict[str, list[VariantView]] = {i: [] for i in ids}
        for variant in await VariantRepository(session).by_product_ids(ids):
            grouped[variant.product_id].append(variant)
        variants_loader = loaders.get(VariantsByProductIdLoader)
        for product_id, variants in grouped.items():
            variants_loader.prime(product_id, variants)
    category_ids = list({p.category_id for p in products if p.category_id})
    if category_ids and selects(info, "edges", "node", "category"):
        category_loader = loaders.get(CategoryByIdLoader)
        for category in await CategoryRepository(session).by_ids(category_ids):
            category_loader.prime(category.id, category)


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
        product_filter = await _filter(info, filter)
        async with info.context.db().session() as session:
            repo = ProductRepository(session)
            try:
                page = await repo.page(product_filter, request)
            except PaginationError as exc:  # a cursor that decodes but is not one of ours
                raise PublicError(str(exc), code="BAD_USER_INPUT", field=exc.field) from exc
            total = await repo.count(product_filter) if selects(info, "totalCount") else None
            await _prefetch(info, session, page.items)
        return Connection.from_page(page, Product.from_model, total_count=total)

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
        async with info.context.db().session() as session:
            roots = await CategoryRepository(session).roots()
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
            async with info.context.db().session() as session:
                model = await CategoryRepository(session).by_slug(slug or "")
        return Category.from_model(model) if model else None
