"""What catalog resolvers see on ``info.context``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from shared.db import Database
from shared.graphql.context import RequestContext
from subgraphs.catalog.uow import CatalogUnitOfWork


@dataclass
class CatalogContext(RequestContext):
    database: Database | None = None
    uow: Callable[[], CatalogUnitOfWork] | None = None

    def db(self) -> Database:
        assert self.database is not None
        return self.database

    def unit_of_work(self) -> Callable[[], CatalogUnitOfWork]:
        assert self.uow is not None
        return self.uow
