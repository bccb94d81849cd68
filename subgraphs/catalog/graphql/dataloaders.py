"""Request-scoped batch loaders: one SQL statement per relation per request, whatever the list size."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from shared.graphql.dataloaders import DatabaseLoader
from subgraphs.catalog.domain.models import Category, Product, VariantView
from subgraphs.catalog.repository import CategoryRepository, ProductRepository, VariantRepository


class ProductByIdLoader(DatabaseLoader[str, Product | None]):
    async def batch_load_fn(self, keys: Sequence[str]) -> list[Product | None]:
        async with self.database.session() as session:
            found = {p.id: p for p in await ProductRepository(session).by_ids(keys)}
        return [found.get(k) for k in keys]


class ProductBySlugLoader(DatabaseLoader[str, Product | None]):
    async def batch_load_fn(self, keys: Sequence[str]) -> list[Product | None]:
        async with self.database.session() as session:
            found = {p.slug: p for p in await ProductRepository(session).by_slugs(keys)}
        return [found.get(k) for k in keys]


class VariantsByProductIdLoader(DatabaseLoader[str, list[VariantView]]):
    async def batch_load_fn(self, keys: Sequence[str]) -> list[list[VariantView]]:
        grouped: dict[str, list[VariantView]] = defaultdict(list)
        async with self.database.session() as session:
            for variant in await VariantRepository(session).by_product_ids(keys):
                grouped[variant.product_id].append(variant)
        return [grouped[k] for k in keys]


class VariantByIdLoader(DatabaseLoader[str, VariantView | None]):
    async def batch_load_fn(self, keys: Sequence[str]) -> list[VariantView | None]:
        async with self.database.session() as session:
            found = {v.id: v for v in await VariantRepository(session).by_ids(keys)}
        return [found.get(k) for k in keys]


class CategoryByIdLoader(DatabaseLoader[str, Category | None]):
    async def batch_load_fn(self, keys: Sequence[str]) -> list[Category | None]:
        async with self.database.session() as session:
            found = {c.id: c for c in await CategoryRepository(session).by_ids(keys)}
        return [found.get(k) for k in keys]


class CategoryChildrenLoader(DatabaseLoader[str, list[Category]]):
    async def batch_load_fn(self, keys: Sequence[str]) -> list[list[Category]]:
        grouped: dict[str, list[Category]] = defaultdict(list)
        async with self.database.session() as session:
            for category in await CategoryRepository(session).children_of(keys):
                assert category.parent_id is not None
                grouped[category.parent_id].append(category)
        return [grouped[k] for k in keys]
