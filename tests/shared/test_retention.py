"""Retention of the messaging tables: expired idempotency keys and old published outbox rows go,
in batches; unpublished rows and everything younger stay."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import MetaData, insert, select

from shared.db import Database
from shared.messaging_tables import MessagingTables, define_messaging_tables
from shared.retention import MessagingJanitor
from shared.settings import Settings

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


@pytest.fixture
async def store(settings: Settings) -> AsyncIterator[tuple[Database, MessagingTables]]:
    metadata = MetaData()
    tables = define_messaging_tables(metadata)
    database = Database(settings.database_for("catalog"))  # a name the conftest cleans up
    await database.ensure_schema()
    async with database.engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    yield database, tables
    await database.dispose()


async def test_expired_keys_and_old_published_events_go_in_batches(
    store: tuple[Database, MessagingTables],
) -> None:
    database, tables = store
    keys = [
        {"scope": s, "key": f"k{i}", "request_hash": "h", "response": "{}", "created_at": at}
        for i, (s, at) in enumerate(
            [("a", NOW - timedelta(hours=30))] * 5
            + [("b", NOW - timedelta(hours=25))] * 2
            + [("a", NOW - timedelta(hours=23))] * 3
        )
    ]
    events = [
        {
            "event_id": f"e{i}",
            "event_type": "T",
            "source": "s",
            "event_key": "",
            "payload": "{}",
            "occurred_at": NOW - timedelta(days=10),
            "published_at": published,
            "attempts": 0,
        }
        for i, published in enumerate(
            [NOW - timedelta(days=8)] * 4 + [NOW - timedelta(days=6)] * 2 + [None] * 3
        )
    ]
    async with database.session() as session, session.begin():
        await session.execute(insert(tables.idempotency), keys)
        await session.execute(insert(tables.outbox), events)
    janitor = MessagingJanitor(
        database,
        tables,
        idempotency_ttl=timedelta(hours=24),
        outbox_retention=timedelta(days=7),
        batch_size=2,
        clock=lambda: NOW,
    )

    assert await janitor.run_once() == 7 + 4
    assert await janitor.run_once() == 0

    async with database.session() as session:
        left_keys = (await session.execute(select(tables.idempotency.c.key))).scalars().all()
        left_events = (await session.execute(select(tables.outbox.c.event_id))).scalars().all()
    assert sorted(left_keys) == ["k7", "k8", "k9"]
    assert sorted(left_events) == ["e4", "e5", "e6", "e7", "e8"]  # younger, or unpublished
