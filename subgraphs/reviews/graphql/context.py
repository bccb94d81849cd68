"""What reviews resolvers see on ``info.context``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from shared.bus.base import EventBus
from shared.db import Database
from shared.graphql.context import RequestContext
from subgraphs.reviews.uow import ReviewsUnitOfWork


@dataclass
class ReviewsContext(RequestContext):
    database: Database | None = None
    uow: Callable[[], ReviewsUnitOfWork] | None = None
    bus: EventBus | None = None
    moderation: str = "post"

    def db(self) -> Database:
        assert self.database is not None
        return self.database

    def unit_of_work(self) -> Callable[[], ReviewsUnitOfWork]:
        assert self.uow is not None
        return self.uow

    def event_bus(self) -> EventBus:
        assert self.bus is not None
        return self.bus
