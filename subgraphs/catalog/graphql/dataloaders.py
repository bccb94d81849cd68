"""Request-scoped batch loaders: one SQL statement per relation per request, whatever the list size.

Each batch is one ``Database.read``: its statements run together, off the event loop on SQLite.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy.orm import Session

from shared.graphql.dataloaders import DatabaseLoader
from subgraphs.catalog.domain.models import (
    CategoryView,
    CollectionView,
    ImageView,
    ProductTypeView,
    ProductView,
    VariantView,
)
from subgraphs.catalog.repository import (
    CategoryReader,
    CollectionReader,
    ImageReader,
    ProductReader,
    ProductTypeReader,
    VariantReader,
)


class ProductByIdLoader(DatabaseLoader[str, ProductView | None]):
    async def batch_load_fn(self, keys: Sequence[str]) -> list[ProductView | None]:
        def read(session: Session) -> dict[str, ProductView]:
            return {p.id: p for p in ProductReader(session).by_ids(keys)}

        found = await self.database.read(read)
        return [found.get(k) for k in keys]


class ProductBySlugLoader(DatabaseLoader[str, ProductView | None]):
    async def batch_load_fn(self, keys: Sequence[str]) -> list[ProductView | None]:
        def read(session: Session) -> dict[str, ProductView]:
            return {p.slug: p for p in ProductReader(session).by_slugs(keys)}

        found = await self.database.read(read)
        return [found.get(k) for k in keys]


def group_variants(
    product_ids: Sequence[str], variants: Sequence[VariantView]
) -> dict[str, list[VariantView]]:
    grouped: dict[str, list[VariantView]] = {k: [] for k in product_ids}
    for variant in variants:
        grouped[variant.product_id].append(variant)
    return grouped


class VariantsByProductIdLoader(DatabaseLoader[str, list[VariantView]]):
    async def batch_load_fn(self, keys: Sequence[str]) -> list[list[VariantView]]:
        variants = await self.database.read(lambda s: VariantReader(s).by_product_ids(keys))
        grouped = group_variants(keys, variants)
        return [grouped[k] for k in keys]


class VariantByIdLoader(DatabaseLoader[str, VariantView | None]):
    async def batch_load_fn(self, keys: Sequence[str]) -> list[VariantView | None]:
        variants = await self.database.read(lambda s: VariantReader(s).by_ids(keys))
        found = {v.id: v for v in variants}
        return [found.get(k) for k in keys]


class CategoryByIdLoader(DatabaseLoader[str, CategoryView | None]):
    async def batch_load_fn(self, keys: Sequence[str]) -> list[CategoryView | None]:
        categories = await self.database.read(lambda s: CategoryReader(s).by_ids(keys))
        found = {c.id: c for c in categories}
        return [found.get(k) for k in keys]


class CategoryChildrenLoader(DatabaseLoader[str, list[CategoryView]]):
    async def batch_load_fn(self, keys: Sequence[str]) -> list[list[CategoryView]]:
        children = await self.database.read(lambda s: CategoryReader(s).children_of(keys))
        grouped: dict[str, list[CategoryView]] = defaultdict(list)
        for category in children:
            assert category.parent_id is not None
            grouped[category.parent_id].append(category)
        return [grouped[k] for k in keys]


class ProductTypeByIdLoader(DatabaseLoader[str, ProductTypeView | None]):
    async def batch_load_fn(self, keys: Sequence[str]) -> list[ProductTypeView | None]:
        found = {
            t.id: t for t in await self.database.read(lambda s: ProductTypeReader(s).by_ids(keys))
        }
        return [found.get(k) for k in keys]


class ImagesByProductIdLoader(DatabaseLoader[str, list[ImageView]]):
    async def batch_load_fn(self, keys: Sequence[str]) -> list[list[ImageView]]:
        images = await self.database.read(lambda s: ImageReader(s).by_product_ids(keys))
        grouped: dict[str, list[ImageView]] = defaultdict(list)
        for image in images:
            grouped[image.product_id].append(image)
        return [grouped[k] for k in keys]


class CollectionByIdLoader(DatabaseLoader[str, CollectionView | None]):
    async def batch_load_fn(self, keys: Sequence[str]) -> list[CollectionView | None]:
        found = {
            c.id: c for c in await self.database.read(lambda s: CollectionReader(s).by_ids(keys))
        }
        return [found.get(k) for k in keys]
