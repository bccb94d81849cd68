"""Alembic migrations per subgraph, run programmatically on SQLite and PostgreSQL.

Each subgraph keeps its revisions in ``subgraphs/<name>/migrations/versions``; its ``env.py``
is two lines that call ``run_env`` with the subgraph's metadata.
"""

from __future__ import annotations

import zlib
from pathlib import Path

from alembic import command, context
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import Connection, MetaData, text

from shared.db import Database


def alembic_config(script_location: Path) -> Config:
    config = Config()
    config.set_main_option("script_location", str(script_location))
    config.set_main_option("file_template", "%%(year)d%%(month).2d%%(day).2d_%%(rev)s_%%(slug)s")
    return config


def run_env(metadata: MetaData) -> None:
    """Body of a subgraph's ``env.py``: migrate the connection handed over by ``upgrade``."""
    connection = context.config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("run migrations with `python -m subgraphs migrate`, not the alembic CLI")
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def upgrade(database: Database, script_location: Path, revision: str = "head") -> None:
    """Bring the subgraph's database (its PostgreSQL schema, or its SQLite file) to ``revision``."""
    await database.ensure_schema()
    config = alembic_config(script_location)

    def run(connection: Connection) -> None:
        if connection.dialect.name == "postgresql":
            # Replicas starting together (k8s initContainers) migrate one at a time.
            key = zlib.crc32(f"agora-migrate:{database.config.schema}".encode())
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
        config.attributes["connection"] = connection
        command.upgrade(config, revision)

    async with database.engine.begin() as conn:
        await conn.run_sync(run)


async def pending_changes(database: Database, metadata: MetaData) -> list[object]:
    """Differences between the migrated database and the models (empty when in sync)."""

    def compare(connection: Connection) -> list[object]:
        migration_context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(migration_context, metadata))

    async with database.engine.connect() as conn:
        return await conn.run_sync(compare)
