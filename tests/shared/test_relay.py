"""The outbox relay: committed events reach the bus in order, at least once; failures retry."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import MetaData, select

from shared.bus.memory import InMemoryEventBus
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


def shipped(n: int) -> ParcelShipped:
    return ParcelShipped(parcel_id=f"p{n}", n=n)


class RecordingBus(InMemoryEventBus):
    """The in-process bus, remembering what it published and failing the calls in ``fail_on``."""

    def __init__(self, fail_on: set[int] | None = None) -> None:
        super().__init__()
        self.calls = 0
        self.fail_on = fail_on or set()
        self.published: list[Envelope] = []

    async def publish(self, envelope: Envelope) -> None:
        self.calls += 1
        if self.calls in self.fail_on:
            raise ConnectionError("bus unavailable")
        await super().publish(envelope)
        self.published.append(envelope)


@dataclass
class Outbox:
    database: Database
    tables: MessagingTables

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.database, self.tables, source="shipping")

    def relay(self, bus: RecordingBus, **options: Any) -> OutboxRelay:
        return OutboxRelay(self.database, self.tables, bus, **options)

    async def rows(self) -> list[dict[str, Any]]:
        async with self.database.session() as session:
            result = await session.execute(
                select(self.tables.outbox).order_by(self.tables.outbox.c.seq)
            )
            return [dict(row) for row in result.mappings()]


@pytest.fixture
async def outbox(settings: Settings) -> AsyncIterator[Outbox]:
    metadata = MetaData()
    tables = define_messaging_tables(metadata)
    # "catalog": the root conftest drops the PostgreSQL schemas named after real subgraphs.
    database = Database(settings.database_for("catalog"))
    await database.ensure_schema()
    async with database.engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    yield Outbox(database, tables)
    await database.dispose()


def numbers(envelopes: list[Envelope]) -> list[int]:
    return [int(e.payload["n"]) for e in envelopes]


async def test_events_reach_the_bus_after_commit_and_never_after_rollback(outbox: Outbox) -> None:
    bus = RecordingBus()
    relay = outbox.relay(bus)

    async with outbox.uow() as uow:
        uow.record(shipped(1), shipped(2))
        assert await relay.run_once() == 0  # recorded, not committed: nothing to publish
        await uow.commit()
    async with outbox.uow() as uow:
        uow.record(shipped(3))  # left without commit
    async with outbox.uow() as uow:
        uow.record(shipped(4))
        await uow.rollback()
        await uow.commit()

    assert await relay.run_once() == 2
    assert numbers(bus.published) == [1, 2]
    assert bus.published[0].source == "shipping"
    assert bus.published[0].key == "p1"
    assert await relay.run_once() == 0
    assert [r["published_at"] is not None for r in await outbox.rows()] == [True, True]


async def test_events_are_published_in_commit_order_across_batches(outbox: Outbox) -> None:
    bus = RecordingBus()
    relay = outbox.relay(bus, batch_size=4)
    for first in (1, 3, 5):
        async with outbox.uow() as uow:
            uow.record(shipped(first), shipped(first + 1))
            await uow.commit()

    assert await relay.run_once() == 4
    assert await relay.run_once() == 2

    assert numbers(bus.published) == [1, 2, 3, 4, 5, 6]
    rows = await outbox.rows()
    assert all(r["published_at"] is not None and r["attempts"] == 1 for r in rows)


async def test_a_failed_publish_keeps_the_row_and_the_order_and_is_retried(
    outbox: Outbox,
) -> None:
    bus = RecordingBus(fail_on={2})
    relay = outbox.relay(bus)
    async with outbox.uow() as uow:
        uow.record(shipped(1), shipped(2), shipped(3))
        await uow.commit()

    assert await relay.run_once() == 1  # stops at the failure: 3 must not overtake 2
    first, second, third = await outbox.rows()
    assert first["published_at"] is not None
    assert second["published_at"] is None
    assert second["attempts"] == 1
    assert "bus unavailable" in second["last_error"]
    assert second["claimed_until"] is None  # released at once, not after the lease
    assert third["published_at"] is None
    assert third["attempts"] == 0

    assert await relay.run_once() == 2
    assert numbers(bus.published) == [1, 2, 3]
    assert [r["attempts"] for r in await outbox.rows()] == [1, 2, 1]


class GatedBus(RecordingBus):
    """Publishing waits at a gate, so a test can stop the relay in the middle of a round."""

    def __init__(self) -> None:
        super().__init__()
        self.entered = asyncio.Event()
        self.gate = asyncio.Event()

    async def publish(self, envelope: Envelope) -> None:
        self.entered.set()
        await self.gate.wait()
        await super().publish(envelope)


async def test_stop_lets_the_round_in_progress_finish(outbox: Outbox) -> None:
    bus = GatedBus()
    relay = outbox.relay(bus, interval=60)
    async with outbox.uow() as uow:
        uow.record(shipped(1))
        await uow.commit()
    await relay.start()
    await bus.entered.wait()

    stopping = asyncio.create_task(relay.stop())
    await asyncio.sleep(0.05)
    assert not stopping.done()  # waits for the round rather than cancelling it
    bus.gate.set()
    await stopping

    assert numbers(bus.published) == [1]
    assert [r["published_at"] is not None for r in await outbox.rows()] == [True]


async def test_a_round_stuck_past_the_grace_is_cancelled_and_its_rows_kept(outbox: Outbox) -> None:
    bus = GatedBus()  # the gate never opens
    relay = outbox.relay(bus, interval=60)
    async with outbox.uow() as uow:
        uow.record(shipped(1))
        await uow.commit()
    await relay.start()
    await bus.entered.wait()

    await relay.stop(grace=0.05)

    [row] = await outbox.rows()
    assert row["published_at"] is None  # published again once its lease runs out
    assert bus.published == []
