"""What catalog resolvers see on ``info.context``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from shared.db import Database
from shared.graphql.context import RequestContext
from subgraphs.catalog.adapters.storage import ImageStorage
from subgraphs.catalog.settings import CatalogSettings
from subgraphs.catalog.uow import CatalogUnitOfWork


@dataclass
class CatalogContext(RequestContext):
    database: Database | None = None
    uow: Callable[[], CatalogUnitOfWork] | None = None
    storage: ImageStorage | None = None
    catalog_settings: CatalogSettings | None = None

    def db(self) -> Database:
        assert self.database is not None
        return self.database

    def unit_of_work(self) -> Callable[[], CatalogUnitOfWork]:
        assert self.uow is not None
        return self.uow

    def image_storage(self) -> ImageStorage:
        assert self.storage is not None
        return self.storage

    def settings(self) -> CatalogSettings:
        assert self.catalog_settings is not None
        return self.catalog_settings
