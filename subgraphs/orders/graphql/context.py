"""What orders resolvers see on ``info.context``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from shared.bus.base import EventBus
from shared.db import Database
from shared.graphql.context import RequestContext
from subgraphs.orders.adapters.carrier import Carrier
from subgraphs.orders.uow import OrdersUnitOfWork


@dataclass
class OrdersContext(RequestContext):
    database: Database | None = None
    uow: Callable[[], OrdersUnitOfWork] | None = None
    bus: EventBus | None = None
    carrier: Carrier | None = None

    def db(self) -> Database:
        assert self.database is not None
        return self.database

    def unit_of_work(self) -> Callable[[], OrdersUnitOfWork]:
        assert self.uow is not None
        return self.uow

    def event_bus(self) -> EventBus:
        assert self.bus is not None
        return self.bus

    def shipping_carrier(self) -> Carrier:
        assert self.carrier is not None
        return self.carrier
