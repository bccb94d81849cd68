"""Dialect helpers behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import Column, CursorResult, Integer, MetaData, String, Table, insert, select
from sqlalchemy.exc import StatementError

from shared.db import Database
from shared.settings import Settings
from shared.sql import UtcDateTime, insert_ignoring_conflicts, upsert

metadata = MetaData()
counters = Table(
    "counters",
    metadata,
    Column("name", String(40), primary_key=True),
    Column("count", Integer, nullable=False),
    Column("version", Integer, nullable=False),
    Column("note", String(40), nullable=False, default=""),
)
moments = Table(
    "moments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", UtcDateTime(), nullable=False),
)


@dataclass
class Store:
    database: Database

    async def run(self, statement: Any) -> int:
        async with self.database.session() as session, session.begin():
            result = await session.execute(statement)
            assert isinstance(result, CursorResult)
            return result.rowcount

    async def rows(self) -> list[tuple[str, int, int, str]]:
        async with self.database.session() as session:
            result = await session.execute(select(counters).order_by(counters.c.name))
            return [(r["name"], r["count"], r["version"], r["note"]) for r in result.mappings()]


@pytest.fixture
async def store(settings: Settings) -> AsyncIterator[Store]:
    database = Database(settings.database_for("catalog"))
    await database.ensure_schema()
    async with database.engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    yield Store(database)
    await database.dispose()


def _row(name: str, count: int = 1, version: int = 1, note: str = "") -> dict[str, Any]:
    return {"name": name, "count": count, "version": version, "note": note}


async def test_insert_ignoring_conflicts_inserts_once(store: Store) -> None:
    dialect = store.database.dialect

    first = await store.run(insert_ignoring_conflicts(dialect, counters, _row("a", note="first")))
    again = await store.run(insert_ignoring_conflicts(dialect, counters, _row("a", 5, 5, "again")))
    other = await store.run(insert_ignoring_conflicts(dialect, counters, _row("b")))

    assert (first, again, other) == (1, 0, 1)
    assert await store.rows() == [("a", 1, 1, "first"), ("b", 1, 1, "")]


async def test_upsert_inserts_then_updates_from_the_stored_row(store: Store) -> None:
    def bump(note: str) -> Any:
        return upsert(
            store.database.dialect,
            counters,
            _row("hits", note=note),
            key=["name"],
            set_={"count": counters.c.count + 1, "note": note},
        )

    assert await store.run(bump("one")) == 1
    assert await store.rows() == [("hits", 1, 1, "one")]
    assert await store.run(bump("two")) == 1
    assert await store.run(bump("three")) == 1

    assert await store.rows() == [("hits", 3, 1, "three")]


async def test_upsert_with_where_updates_only_newer_rows(store: Store) -> None:
    def propose(version: int, note: str) -> Any:
        return upsert(
            store.database.dialect,
            counters,
            _row("doc", version=version, note=note),
            key=["name"],
            set_={"version": version, "note": note},
            where=counters.c.version < version,
        )

    assert await store.run(propose(2, "v2")) == 1
    assert await store.run(propose(1, "stale")) == 0
    assert await store.run(propose(2, "same")) == 0
    assert await store.rows() == [("doc", 1, 2, "v2")]

    assert await store.run(propose(3, "v3")) == 1
    assert await store.rows() == [("doc", 1, 3, "v3")]


def test_unknown_dialects_are_refused() -> None:
    with pytest.raises(NotImplementedError, match="mysql"):
        insert_ignoring_conflicts("mysql", counters, _row("a"))
    with pytest.raises(NotImplementedError, match="mysql"):
        upsert("mysql", counters, _row("a"), key=["name"], set_={"count": 2})


async def test_timestamps_come_back_aware_utc_on_every_database(store: Store) -> None:
    paris = timezone(timedelta(hours=1))
    written = datetime(2026, 11, 22, 9, 30, 15, 123456, tzinfo=paris)
    await store.run(insert(moments).values(id=1, at=written))

    async with store.database.session() as session:
        [read] = (await session.execute(select(moments.c.at))).scalars()
    from_reader = await store.database.read(lambda s: s.execute(select(moments.c.at)).scalar_one())

    for value in (read, from_reader):
        assert value == written
        assert value.tzinfo is not None
        assert value.utcoffset() == timedelta(0)
        assert value.isoformat() == "2026-11-22T08:30:15.123456+00:00"


async def test_timestamps_compare_as_instants_in_sql(store: Store) -> None:
    base = datetime(2026, 1, 1, 12, tzinfo=UTC)
    for i, offset in enumerate((-2, 0, 3)):
        await store.run(insert(moments).values(id=i, at=base + timedelta(hours=offset)))
    later_in_another_zone = datetime(2026, 1, 1, 14, 30, tzinfo=timezone(timedelta(hours=2)))

    async with store.database.session() as session:
        after = (
            await session.execute(
                select(moments.c.id).where(moments.c.at > later_in_another_zone).order_by("id")
            )
        ).scalars()
        assert list(after) == [2]  # only 15:00 UTC is after 14:30+02:00 (12:30 UTC)


async def test_a_naive_timestamp_is_refused(store: Store) -> None:
    with pytest.raises(StatementError, match="naive datetime"):
        await store.run(insert(moments).values(id=1, at=datetime(2026, 1, 1, 12)))
