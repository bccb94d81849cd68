"""``Database.read``: a whole read in one go — inline (or on worker threads) on SQLite, asyncpg on
PostgreSQL."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import Column, Integer, String, Table, insert, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from shared.db import Database, new_metadata
from shared.settings import DatabaseConfig, Settings

metadata = new_metadata()
notes = Table(
    "notes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("text", String(50), nullable=False),
)


@pytest.fixture
async def database(settings: Settings) -> AsyncIterator[Database]:
    # "catalog": the conftest drops the PostgreSQL schemas named after real subgraphs.
    database = Database(settings.database_for("catalog"))
    await database.ensure_schema()
    async with database.engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    yield database
    await database.dispose()


async def _write(database: Database, *texts: str) -> None:
    async with database.session() as session:
        await session.execute(insert(notes), [{"text": t} for t in texts])
        await session.commit()


def _texts(session: Session) -> list[str]:
    return list(session.execute(select(notes.c.text).order_by(notes.c.id)).scalars())


async def test_a_read_sees_what_the_async_engine_committed(database: Database) -> None:
    await _write(database, "first", "second")

    assert await database.read(_texts) == ["first", "second"]

    await _write(database, "third")
    assert await database.read(_texts) == ["first", "second", "third"]


async def test_every_statement_of_a_read_shares_one_session(database: Database) -> None:
    await _write(database, "a", "b")

    def two_statements(session: Session) -> tuple[int, list[str]]:
        count = len(session.execute(select(notes.c.id)).all())
        return count, _texts(session)

    assert await database.read(two_statements) == (2, ["a", "b"])


@pytest.fixture(params=[0, 2], ids=["inline", "threads"])
async def sqlite_database(
    tmp_path: Path, request: pytest.FixtureRequest
) -> AsyncIterator[Database]:
    database = Database(
        DatabaseConfig(f"sqlite+aiosqlite:///{tmp_path / 'notes.db'}"), read_threads=request.param
    )
    async with database.engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    yield database
    await database.dispose()


@pytest.mark.parametrize(("threads", "off_the_loop"), [(0, False), (2, True)])
async def test_sqlite_reads_run_inline_unless_given_threads(
    tmp_path: Path, threads: int, off_the_loop: bool
) -> None:
    database = Database(
        DatabaseConfig(f"sqlite+aiosqlite:///{tmp_path / 'n.db'}"), read_threads=threads
    )
    try:
        ran_on = await database.read(lambda _session: threading.get_ident())
    finally:
        await database.dispose()

    assert (ran_on != threading.get_ident()) is off_the_loop


async def test_sqlite_readers_wait_briefly_for_locks(sqlite_database: Database) -> None:
    timeout = await sqlite_database.read(
        lambda s: s.connection().exec_driver_sql("PRAGMA busy_timeout").scalar()
    )
    assert timeout == 1000


async def test_sqlite_readers_refuse_to_write(sqlite_database: Database) -> None:
    def sneaky_write(session: Session) -> None:
        session.execute(insert(notes).values(text="nope"))

    with pytest.raises(OperationalError, match="readonly"):
        await sqlite_database.read(sneaky_write)
    assert await sqlite_database.read(_texts) == []


async def test_concurrent_sqlite_reads_all_answer(sqlite_database: Database) -> None:
    async with sqlite_database.session() as session:
        await session.execute(insert(notes), [{"text": f"n{i}"} for i in range(10)])
        await session.commit()

    results = await asyncio.gather(*(sqlite_database.read(_texts) for _ in range(25)))

    assert all(len(r) == 10 for r in results)


async def test_an_error_in_a_read_reaches_the_caller_and_the_next_read_works(
    database: Database,
) -> None:
    def broken(session: Session) -> None:
        raise LookupError("not here")

    with pytest.raises(LookupError, match="not here"):
        await database.read(broken)
    await _write(database, "still fine")
    assert await database.read(_texts) == ["still fine"]


async def test_concurrent_reads_all_answer(database: Database) -> None:
    await _write(database, *[f"n{i}" for i in range(10)])

    results = await asyncio.gather(*(database.read(_texts) for _ in range(25)))

    assert all(len(r) == 10 for r in results)


async def test_a_disposed_database_reads_again(database: Database) -> None:
    await _write(database, "kept")
    await database.dispose()

    assert await database.read(_texts) == ["kept"]


async def test_engines_lists_the_sqlite_reader_too(database: Database, backend: str) -> None:
    expected = 2 if backend == "sqlite" else 1
    assert len(database.engines) == expected
    assert database.engines[0] is database.engine.sync_engine
