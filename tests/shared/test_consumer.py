"""Idempotent consumers: each event is applied once, whatever the bus or the relay repeats.

The publisher and the consumer have their own databases, as two subgraphs do. The consumer's
handler counts its applications in a table: one row per application.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, func, select
from sqlalchemy.exc import IntegrityError

from shared.bus.base import Handler
from shared.bus.memory import InMemoryEventBus
from shared.consumer import idempotent
from shared.db import Database
from shared.events import DomainEvent, Envelope
from shared.messaging_tables import MessagingTables, define_messaging_tables
from shared.relay import OutboxRelay
from shared.settings import Settings
from shared.uow import UnitOfWork


@dataclass(frozen=True, kw_only=True)
class ParcelShipped(DomainEvent):
    event_type = "ParcelShipped"

    parcel_id: str
    n: int


@dataclass
class Store:
    name: str
    database: Database
    tables: MessagingTables
    applications: Table

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.database, self.tables, source=self.name)

    async def published_ids(self) -> list[str]:
        outbox = self.tables.outbox
        async with self.database.session() as session:
            query = select(outbox.c.event_id).where(outbox.c.published_at.is_not(None))
            return [str(i) for i in (await session.execute(query.order_by(outbox.c.seq))).scalars()]

    async def count(self, table: Table) -> int:
        async with self.database.session() as session:
            query = select(func.count()).select_from(table)
            return int((await session.execute(query)).scalar_one())

    async def applied(self) -> dict[str, int]:
        """Event id → how many times the handler's effect was committed."""
        apps = self.applications
        async with self.database.session() as session:
            query = select(apps.c.event_id, func.count()).group_by(apps.c.event_id)
            return {str(event_id): int(n) for event_id, n in (await session.execute(query)).all()}


async def open_store(settings: Settings, subgraph: str) -> Store:
    metadata = MetaData()
    tables = define_messaging_tables(metadata)
    applications = Table(
        "applications",
        metadata,
        Column("seq", Integer, primary_key=True, autoincrement=True),
        Column("event_id", String(36), nullable=False),
    )
    # Real subgraph names: the root conftest drops their PostgreSQL schemas afterwards.
    database = Database(settings.database_for(subgraph))
    await database.ensure_schema()
    async with database.engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    return Store(subgraph, database, tables, applications)


@pytest.fixture
async def stores(settings: Settings) -> AsyncIterator[tuple[Store, Store]]:
    publisher = await open_store(settings, "catalog")
    consumer = await open_store(settings, "reviews")
    yield publisher, consumer
    await publisher.database.dispose()
    await consumer.database.dispose()


def counting_consumer(store: Store, name: str = "reviews:ParcelShipped") -> Handler:
    async def apply(uow: UnitOfWork, envelope: Envelope) -> None:
        await uow.session.execute(store.applications.insert().values(event_id=envelope.id))

    return idempotent(name, store.uow, apply)


def envelope(n: int = 1) -> Envelope:
    return Envelope.from_event(ParcelShipped(parcel_id=f"p{n}", n=n), source="catalog")


async def test_concurrent_duplicate_deliveries_apply_the_event_once(
    stores: tuple[Store, Store],
) -> None:
    _, consumer = stores
    handle = counting_consumer(consumer)
    event = envelope()

    await asyncio.gather(*(handle(event) for _ in range(10)))

    assert await consumer.applied() == {event.id: 1}
    assert await consumer.count(consumer.tables.inbox) == 1


async def test_a_redelivered_event_is_skipped_and_another_consumer_applies_it_too(
    stores: tuple[Store, Store],
) -> None:
    _, consumer = stores
    event = envelope()

    await counting_consumer(consumer)(event)
    await counting_consumer(consumer)(event)
    await counting_consumer(consumer, "search:ParcelShipped")(event)

    assert await consumer.applied() == {event.id: 2}  # once per consumer
    assert await consumer.count(consumer.tables.inbox) == 2


async def test_a_failed_handler_leaves_no_trace_so_the_retry_applies_it(
    stores: tuple[Store, Store],
) -> None:
    _, consumer = stores
    calls = 0

    async def flaky(uow: UnitOfWork, e: Envelope) -> None:
        nonlocal calls
        calls += 1
        await uow.session.execute(consumer.applications.insert().values(event_id=e.id))
        if calls == 1:
            raise RuntimeError("downstream hiccup")

    handle = idempotent("reviews:ParcelShipped", consumer.uow, flaky)
    event = envelope()

    with pytest.raises(RuntimeError, match="hiccup"):
        await handle(event)
    assert await consumer.applied() == {}
    assert await consumer.count(consumer.tables.inbox) == 0
    await handle(event)

    assert await consumer.applied() == {event.id: 1}


async def test_a_real_constraint_failure_in_the_handler_is_raised_not_skipped(
    stores: tuple[Store, Store],
) -> None:
    _, consumer = stores

    async def violates(uow: UnitOfWork, e: Envelope) -> None:
        row = {"seq": 1, "event_id": e.id}
        await uow.session.execute(consumer.applications.insert().values(**row))
        await uow.session.execute(consumer.applications.insert().values(**row))

    with pytest.raises(IntegrityError):
        await idempotent("reviews:ParcelShipped", consumer.uow, violates)(envelope())
    assert await consumer.count(consumer.tables.inbox) == 0


class CrashingBus(InMemoryEventBus):
    """Delivers like the in-process bus; on publish number ``crash_on``, delivers and then hangs
    until the relay's task is killed — a crash between publishing and marking the row."""

    def __init__(self, crash_on: int) -> None:
        super().__init__()
        self.crash_on = crash_on
        self.calls = 0
        self.crashing = asyncio.Event()

    async def publish(self, envelope: Envelope) -> None:
        self.calls += 1
        await super().publish(envelope)
        if self.calls == self.crash_on:
            self.crashing.set()
            await asyncio.Event().wait()


async def test_a_relay_killed_between_publish_and_mark_republishes_and_events_apply_once(
    stores: tuple[Store, Store],
) -> None:
    publisher, consumer = stores
    deliveries: list[str] = []
    handle = counting_consumer(consumer)

    async def counted(e: Envelope) -> None:
        deliveries.append(e.id)
        await handle(e)

    async with publisher.uow() as uow:
        uow.record(*(ParcelShipped(parcel_id=f"p{n}", n=n) for n in range(1, 4)))
        await uow.commit()
    crashing_bus = CrashingBus(crash_on=2)
    crashing_bus.subscribe("reviews", ["ParcelShipped"], counted)
    lease = timedelta(milliseconds=300)
    crashed = OutboxRelay(publisher.database, publisher.tables, crashing_bus, lease=lease)
    await crashed.start()
    async with asyncio.timeout(5):
        await crashing_bus.crashing.wait()
    await crashed.stop(grace=0)  # killed: events 1 and 2 delivered, no row marked
    assert len(deliveries) == 2

    bus = InMemoryEventBus()
    bus.subscribe("reviews", ["ParcelShipped"], counted)
    restarted = OutboxRelay(publisher.database, publisher.tables, bus)
    assert await restarted.run_once() == 0  # the dead relay's lease still holds the rows
    for _ in range(100):  # until the lease runs out
        if await restarted.run_once():
            break
        await asyncio.sleep(0.05)

    event_ids = await publisher.published_ids()
    assert len(event_ids) == 3
    assert sorted(deliveries) == sorted([*event_ids, *event_ids[:2]])  # 1 and 2 went out twice
    assert await consumer.applied() == dict.fromkeys(event_ids, 1)
    assert await consumer.count(consumer.tables.inbox) == 3
