"""The infrastructure one subgraph owns in a process: database, messaging tables, relay.

``SubgraphInfra`` gathers what ``subgraphs/<name>/app.py`` would otherwise rebuild each time,
and gives the standard lifecycle hooks and readiness checks.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import TypeVar

from sqlalchemy import MetaData

from shared.bus.base import EventBus
from shared.consumer import EventHandler, idempotent
from shared.db import Database
from shared.messaging_tables import MessagingTables
from shared.migrations import upgrade
from shared.relay import OutboxRelay
from shared.retention import MessagingJanitor
from shared.settings import Settings
from shared.uow import UnitOfWork

U = TypeVar("U", bound=UnitOfWork)


@dataclass
class SubgraphInfra:
    name: str
    settings: Settings
    database: Database
    tables: MessagingTables
    metadata: MetaData
    migrations: Path
    bus: EventBus
    relay: OutboxRelay = field(init=False)
    janitor: MessagingJanitor = field(init=False)

    def __post_init__(self) -> None:
        self.relay = OutboxRelay(
            self.database, self.tables, self.bus, interval=self.settings.relay_interval
        )
        self.janitor = MessagingJanitor(
            self.database,
            self.tables,
            idempotency_ttl=timedelta(hours=self.settings.idempotency_ttl_hours),
            outbox_retention=timedelta(hours=self.settings.outbox_retention_hours),
        )

    @classmethod
    def build(
        cls,
        name: str,
        settings: Settings,
        bus: EventBus,
        *,
        tables: MessagingTables,
        metadata: MetaData,
        migrations: Path,
    ) -> SubgraphInfra:
        database = Database(
            settings.database_for(name),
            pool_size=settings.db_pool_size,
            read_threads=settings.sqlite_read_threads,
        )
        return cls(
            name=name,
            settings=settings,
            database=database,
            tables=tables,
            metadata=metadata,
            migrations=migrations,
            bus=bus,
        )

    def consume(
        self,
        handlers: Mapping[str, EventHandler[U]],
        uow_factory: Callable[[], U],
    ) -> None:
        """Subscribe this subgraph's consumer group to ``handlers`` (event type → handler), each
        wrapped so an event is applied once (inbox)."""
        for event_type, handler in handlers.items():
            consumer = f"{self.name}:{event_type}"
            self.bus.subscribe(self.name, [event_type], idempotent(consumer, uow_factory, handler))

    async def start(self) -> None:
        await self.relay.start()
        await self.janitor.start()

    async def stop(self) -> None:
        await self.janitor.stop()
        await self.relay.stop()
        await self.database.dispose()

    def unit_of_work(self, uow_class: type[U]) -> U:
        """A new unit of work on this subgraph's database that wakes the relay on commit."""
        return uow_class(self.database, self.tables, source=self.name, on_commit=self.relay.wake)

    async def migrate(self) -> None:
        """Bring this subgraph's database to the newest revision."""
        await upgrade(self.database, self.migrations)

    def readiness_checks(self) -> list[tuple[str, Callable[[], Awaitable[None]]]]:
        checks: list[tuple[str, Callable[[], Awaitable[None]]]] = [("database", self.database.ping)]
        if self.settings.redis_url:
            checks.append(("event_bus", self.bus.ping))
        return checks
