"""The database wrapper: ping, the subgraph's own schema on PostgreSQL, SQLite pragmas."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import Column, ForeignKey, Integer, MetaData, Table, inspect, text
from sqlalchemy.exc import IntegrityError

from shared.db import SQLITE_BUSY_TIMEOUT_MS, Database, new_metadata
from shared.settings import DatabaseConfig, Settings, load_settings


@pytest.fixture
async def database(settings: Settings) -> AsyncIterator[Database]:
    # "catalog": the conftest drops the PostgreSQL schemas named after real subgraphs.
    database = Database(settings.database_for("catalog"))
    yield database
    await database.dispose()


def _parent_child(metadata: MetaData) -> tuple[Table, Table]:
    parent = Table("parent", metadata, Column("id", Integer, primary_key=True))
    child = Table(
        "child",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("parent_id", ForeignKey("parent.id"), nullable=False),
    )
    return parent, child


async def test_ping_answers(database: Database) -> None:
    await database.ping()


async def test_ping_raises_when_the_server_is_unreachable() -> None:
    database = Database(DatabaseConfig("postgresql+asyncpg://postgres@127.0.0.1:1/none"))
    try:
        with pytest.raises(OSError, match=r"Connect call failed|refused"):
            await database.ping()
    finally:
        await database.dispose()


async def test_dialect_matches_the_backend(database: Database, backend: str) -> None:
    assert database.dialect == {"sqlite": "sqlite", "postgres": "postgresql"}[backend]


async def test_tables_land_in_the_subgraphs_own_schema(database: Database, backend: str) -> None:
    metadata = new_metadata()
    _parent_child(metadata)

    await database.ensure_schema()
    await database.ensure_schema()  # idempotent
    async with database.engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
        tables = await conn.run_sync(lambda sync: set(inspect(sync).get_table_names()))
        if backend == "postgres":
            rows = await conn.execute(
                text(
                    "SELECT table_schema FROM information_schema.tables "
                    "WHERE table_name IN ('parent', 'child')"
                )
            )
            schemas = {row[0] for row in rows}

    assert tables == {"parent", "child"}
    if backend == "postgres":
        assert database.config.schema is not None
        assert database.config.schema.endswith("catalog")
        assert schemas == {database.config.schema}


async def test_foreign_keys_are_enforced(database: Database) -> None:
    metadata = new_metadata()
    parent, child = _parent_child(metadata)
    await database.ensure_schema()
    async with database.engine.begin() as conn:
        await conn.run_sync(metadata.create_all)

    async with database.engine.connect() as conn:
        await conn.execute(parent.insert().values(id=1))
        await conn.execute(child.insert().values(id=1, parent_id=1))
        with pytest.raises(IntegrityError):
            await conn.execute(child.insert().values(id=2, parent_id=99))


async def test_new_metadata_names_constraints_predictably() -> None:
    metadata = new_metadata()
    _, child = _parent_child(metadata)

    assert child.primary_key.name == "pk_child"
    [foreign_key] = child.foreign_key_constraints
    assert foreign_key.name == "fk_child_parent_id_parent"


async def test_sqlite_connections_use_wal_foreign_keys_and_a_busy_timeout(
    tmp_path: Path,
) -> None:
    settings = load_settings({"AGORA_DATA_DIR": str(tmp_path / "nested" / "data")})
    database = Database(settings.database_for("catalog"))
    try:
        async with database.engine.connect() as conn:
            pragmas = {
                name: (await conn.execute(text(f"PRAGMA {name}"))).scalar_one()
                for name in ("journal_mode", "foreign_keys", "synchronous", "busy_timeout")
            }
    finally:
        await database.dispose()

    assert pragmas == {
        "journal_mode": "wal",
        "foreign_keys": 1,
        "synchronous": 1,  # NORMAL
        "busy_timeout": SQLITE_BUSY_TIMEOUT_MS,
    }
    assert (tmp_path / "nested" / "data" / "catalog.db").is_file()
