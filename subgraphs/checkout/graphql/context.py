"""What checkout resolvers see on ``info.context``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from shared.db import Database
from shared.graphql.context import RequestContext
from subgraphs.checkout.adapters.inventory import InventoryGateway
from subgraphs.checkout.uow import CheckoutUnitOfWork


@dataclass
class CheckoutContext(RequestContext):
    database: Database | None = None
    uow: Callable[[], CheckoutUnitOfWork] | None = None
    inventory: InventoryGateway | None = None
    reservation_ttl: int = 900
    completion_timeout: float = 30.0

    def unit_of_work(self) -> Callable[[], CheckoutUnitOfWork]:
        assert self.uow is not None
        return self.uow

    def stock(self) -> InventoryGateway:
        assert self.inventory is not None
        return self.inventory
