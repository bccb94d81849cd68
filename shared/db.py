"""Async database access: one engine per subgraph, SQLite (aiosqlite) or PostgreSQL (asyncpg).

Writes go through ``Database.session()`` (an ``AsyncSession``, used by units of work). Hot reads go
through ``Database.read(fn)``: ``fn`` gets a synchronous ``Session`` and runs every statement of the
read in one go. On PostgreSQL that is the async engine (asyncpg, nothing blocks). On SQLite it is a
synchronous, read-only connection used right on the event loop: aiosqlite hops to its thread for
every cursor call (≈4 hops a statement), and even one hop per read to a worker thread measured
≈30 % slower under 10 concurrent requests than reading inline — the read is CPU work on a warm page
cache, the GIL serialises it anyway, and WAL readers never wait for writers. Readers get a short
busy timeout so a rare wait (WAL recovery after a crash) fails fast instead of stalling the loop.
``read_threads`` > 0 moves SQLite reads to that many worker threads instead.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import orjson
from sqlalchemy import Engine, MetaData, event, make_url, text
from sqlalchemy import create_engine as create_sync_engine
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import Session
from sqlalchemy.pool import ConnectionPoolEntry

from shared.settings import DatabaseConfig

SQLITE_BUSY_TIMEOUT_MS = 10_000
T = TypeVar("T")


def _sqlite_pragmas(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.close()


SQLITE_READER_BUSY_TIMEOUT_MS = 1_000


def _sqlite_read_only(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
    """Reader connections refuse writes (a read that tries one is a bug, and fails loudly) and
    wait at most a second for a lock."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA query_only=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_READER_BUSY_TIMEOUT_MS}")
    cursor.close()


def _sqlite_file(config: DatabaseConfig) -> str | None:
    """The file of a file-backed SQLite database (None for PostgreSQL and in-memory SQLite)."""
    if not config.is_sqlite:
        return None
    database = make_url(config.url).database
    return None if not database or database == ":memory:" else database


def create_engine(config: DatabaseConfig, *, pool_size: int = 10) -> AsyncEngine:
    """An engine for ``config``; on PostgreSQL every connection uses the subgraph's schema."""
    if config.is_sqlite:
        path = config.url.split(":///", 1)[1] if ":///" in config.url else ""
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(
            config.url,
            pool_size=pool_size,
            max_overflow=pool_size,
            json_deserializer=orjson.loads,
        )
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    connect_args: dict[str, Any] = {}
    if config.schema:
        connect_args["server_settings"] = {"search_path": config.schema}
    return create_async_engine(
        config.url,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=True,
        connect_args=connect_args,
        json_deserializer=orjson.loads,
    )


class _SqliteReader:
    """Synchronous read-only connections to a SQLite file: inline, or from a small thread pool."""

    def __init__(self, config: DatabaseConfig, threads: int) -> None:
        url = make_url(config.url).set(drivername="sqlite")
        self.engine = create_sync_engine(
            url, pool_size=max(threads, 1), max_overflow=0, json_deserializer=orjson.loads
        )
        event.listen(self.engine, "connect", _sqlite_pragmas)
        event.listen(self.engine, "connect", _sqlite_read_only)
        self.threads = threads
        self._executor: ThreadPoolExecutor | None = None

    def _run(self, fn: Callable[[Session], T]) -> T:
        with Session(self.engine, autoflush=False) as session:
            return fn(session)  # closing the session ends its (read) transaction

    async def read(self, fn: Callable[[Session], T]) -> T:
        if self.threads == 0:
            return self._run(fn)
        if self._executor is None:
            self._executor = ThreadPoolExecutor(self.threads, thread_name_prefix="agora-db-read")
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, functools.partial(self._run, fn))

    async def dispose(self) -> None:
        executor, self._executor = self._executor, None
        if executor is not None:
            await asyncio.to_thread(executor.shutdown)
        self.engine.dispose()


class Database:
    """An engine and its session factory. Built in the app's lifespan, disposed at shutdown."""

    def __init__(
        self, config: DatabaseConfig, *, pool_size: int = 10, read_threads: int = 0
    ) -> None:
        self.config = config
        self.engine = create_engine(config, pool_size=pool_size)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False, autoflush=False)
        self._reader = (
            _SqliteReader(config, read_threads) if _sqlite_file(config) is not None else None
        )

    @property
    def engines(self) -> tuple[Engine, ...]:
        """Every synchronous engine that sends statements (for event listeners, e.g. counting)."""
        engines = [self.engine.sync_engine]
        if self._reader is not None:
            engines.append(self._reader.engine)
        return tuple(engines)

    async def read(self, fn: Callable[[Session], T]) -> T:
        """Run ``fn(session)`` — a read — and return what it returns.

        ``fn`` is synchronous and must not write (SQLite readers are ``query_only``). It may run
        on a worker thread (SQLite with ``read_threads``), so it must not touch the event loop or
        request state; ORM objects it returns are detached (loaded attributes stay readable).
        """
        if self._reader is not None:
            return await self._reader.read(fn)
        async with self.sessions() as session:
            return await session.run_sync(fn)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def session(self) -> AsyncSession:
        return self.sessions()

    async def ensure_schema(self) -> None:
        """Create the subgraph's PostgreSQL schema if it is missing (no-op on SQLite)."""
        if self.config.schema and not self.config.is_sqlite:
            async with self.engine.begin() as conn:
                await conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{self.config.schema}"'))

    async def ping(self) -> None:
        """Raise unless the database answers a trivial query."""
        async with self.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        await self.engine.dispose()
        if self._reader is not None:
            await self._reader.dispose()


def new_metadata() -> MetaData:
    """A subgraph's own MetaData with naming conventions Alembic can rely on."""
    return MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )
