"""The catalog's unit of work: its repositories on one session, events to the outbox."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from shared.uow import UnitOfWork
from subgraphs.catalog.repository import (
    CategoryRepository,
    CollectionRepository,
    ProductRepository,
    ProductTypeRepository,
)


class CatalogUnitOfWork(UnitOfWork):
    products: ProductRepository
    categories: CategoryRepository
    product_types: ProductTypeRepository
    collections: CollectionRepository

    def open_repositories(self, session: AsyncSession) -> None:
        self.products = ProductRepository(session)
        self.categories = CategoryRepository(session)
        self.product_types = ProductTypeRepository(session)
        self.collections = CollectionRepository(session)
