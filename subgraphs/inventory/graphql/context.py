"""What inventory resolvers see on ``info.context``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from shared.bus.base import EventBus
from shared.db import Database
from shared.graphql.context import RequestContext
from subgraphs.inventory.settings import InventorySettings
from subgraphs.inventory.uow import InventoryUnitOfWork


@dataclass
class InventoryContext(RequestContext):
    database: Database | None = None
    uow: Callable[[], InventoryUnitOfWork] | None = None
    settings: InventorySettings | None = None
    bus: EventBus | None = None

    def event_bus(self) -> EventBus:
        assert self.bus is not None
        return self.bus

    def unit_of_work(self) -> Callable[[], InventoryUnitOfWork]:
        assert self.uow is not None
        return self.uow

    def inventory_settings(self) -> InventorySettings:
        assert self.settings is not None
        return self.settings
