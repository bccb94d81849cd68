"""Fixtures shared by the whole suite.

Database-backed tests take the ``backend`` fixture: they run on SQLite always and, when
``AGORA_TEST_POSTGRES_URL`` is set, on PostgreSQL too (each test in its own schemas, dropped
afterwards). Nothing is skipped when the URL is set: an unreachable server fails the test.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from shared.app import SubgraphApp
from shared.bus.memory import InMemoryEventBus
from shared.settings import Settings, load_settings
from subgraphs import registry

POSTGRES_URL = os.environ.get("AGORA_TEST_POSTGRES_URL") or None
REDIS_URL = os.environ.get("AGORA_TEST_REDIS_URL") or None
BACKENDS = ["sqlite", "postgres"] if POSTGRES_URL else ["sqlite"]


def pg_url() -> str:
    assert POSTGRES_URL is not None
    if POSTGRES_URL.startswith(("postgresql://", "postgres://")):
        return "postgresql+asyncpg://" + POSTGRES_URL.split("://", 1)[1]
    return POSTGRES_URL


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
async def settings(backend: str, tmp_path: Path) -> AsyncIterator[Settings]:
    """Settings for a test: its own SQLite files, or its own PostgreSQL schemas."""
    env = {
        "AGORA_ENV": "test",
        "AGORA_DATA_DIR": str(tmp_path / "data"),
        "AGORA_LOG_FORMAT": "json",
    }
    prefix = f"t{uuid.uuid4().hex[:10]}_"
    if backend == "postgres":
        env |= {"AGORA_DATABASE_URL": pg_url(), "AGORA_DATABASE_SCHEMA_PREFIX": prefix}
    yield load_settings(env)
    if backend == "postgres":
        engine = create_async_engine(pg_url())
        async with engine.begin() as conn:
            for name in registry.SUBGRAPHS:
                await conn.execute(text(f'DROP SCHEMA IF EXISTS "{prefix}{name}" CASCADE'))
        await engine.dispose()


SubgraphFactory = Callable[[str], Awaitable[SubgraphApp]]


@pytest.fixture
async def bus() -> InMemoryEventBus:
    return InMemoryEventBus()


@pytest.fixture
async def make_subgraph(
    settings: Settings, bus: InMemoryEventBus
) -> AsyncIterator[SubgraphFactory]:
    """Build a subgraph on the test's database (migrated), sharing one in-process bus.

    The relay is not started: tests call ``app.infra.relay.run_once()`` to move events, so what
    happens when is explicit.
    """
    built: list[SubgraphApp] = []

    async def make(name: str) -> SubgraphApp:
        app = registry.factory(name)(settings, bus)
        await app.infra.migrate()
        built.append(app)
        return app

    yield make
    for app in built:
        await app.infra.database.dispose()
