"""What inventory resolvers see on ``info.context``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from shared.db import Database
from shared.graphql.context import RequestContext
from subgraphs.inventory.settings import InventorySettings
from subgraphs.inventory.uow import InventoryUnitOfWork


@dataclass
class InventoryContext(RequestContext):
    database: Database | None = None
    uow: Callable[[], InventoryUnitOfWork] | None = None
    settings: InventorySettings | None = None

    def unit_of_work(self) -> Callable[[], InventoryUnitOfWork]:
        assert self.uow is not None
        return self.uow

    def inventory_settings(self) -> InventorySettings:
        assert self.settings is not None
        return self.settings
