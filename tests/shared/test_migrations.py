"""Every subgraph's migrations: empty → head, models and migrations in sync, idempotent."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import Column, Integer, MetaData, Table, inspect, text

from shared.app import SubgraphApp
from shared.bus.memory import InMemoryEventBus
from shared.migrations import alembic_config, pending_changes, upgrade
from shared.settings import Settings
from subgraphs import registry


@pytest.fixture(params=list(registry.SUBGRAPHS))
async def subgraph(
    request: pytest.FixtureRequest, settings: Settings
) -> AsyncIterator[SubgraphApp]:
    """A subgraph on an empty database (not migrated)."""
    app = registry.factory(str(request.param))(settings, InMemoryEventBus())
    yield app
    await app.infra.database.dispose()


async def _tables(app: SubgraphApp) -> set[str]:
    async with app.infra.database.engine.connect() as conn:
        return await conn.run_sync(lambda sync: set(inspect(sync).get_table_names()))


async def _revision(app: SubgraphApp) -> str:
    async with app.infra.database.engine.connect() as conn:
        return str(
            (await conn.execute(text("SELECT version_num FROM alembic_version"))).scalar_one()
        )


def _head(app: SubgraphApp) -> str:
    head = ScriptDirectory.from_config(alembic_config(app.infra.migrations)).get_current_head()
    assert head is not None
    return head


async def test_upgrade_from_empty_to_head_creates_every_model_table(subgraph: SubgraphApp) -> None:
    assert await _tables(subgraph) == set()

    await subgraph.infra.migrate()

    assert await _tables(subgraph) == {*subgraph.infra.metadata.tables, "alembic_version"}
    assert {"outbox", "inbox", "idempotency_keys"} <= await _tables(subgraph)
    assert await _revision(subgraph) == _head(subgraph)


async def test_models_and_migrations_are_in_sync(subgraph: SubgraphApp) -> None:
    await subgraph.infra.migrate()

    assert await pending_changes(subgraph.infra.database, subgraph.infra.metadata) == []


async def test_the_drift_check_sees_a_model_the_migrations_lack(subgraph: SubgraphApp) -> None:
    await subgraph.infra.migrate()
    drifted = MetaData()
    for table in subgraph.infra.metadata.tables.values():
        table.to_metadata(drifted)
    Table("not_migrated", drifted, Column("id", Integer, primary_key=True))

    changes = await pending_changes(subgraph.infra.database, drifted)

    assert [(c[0], c[1].name) for c in changes if isinstance(c, tuple)] == [
        ("add_table", "not_migrated")
    ]


async def test_upgrading_twice_is_a_no_op(subgraph: SubgraphApp) -> None:
    await subgraph.infra.migrate()
    tables, revision = await _tables(subgraph), await _revision(subgraph)

    await upgrade(subgraph.infra.database, subgraph.infra.migrations)

    assert await _tables(subgraph) == tables
    assert await _revision(subgraph) == revision
    assert await pending_changes(subgraph.infra.database, subgraph.infra.metadata) == []


async def test_on_postgresql_the_tables_live_in_the_subgraphs_schema(
    subgraph: SubgraphApp, backend: str
) -> None:
    await subgraph.infra.migrate()
    schema = subgraph.infra.database.config.schema

    async with subgraph.infra.database.engine.connect() as conn:
        if backend == "postgres":
            rows = await conn.execute(
                text("SELECT table_name FROM information_schema.tables WHERE table_schema = :s"),
                {"s": schema},
            )
            in_schema = {row[0] for row in rows}
        else:
            rows = await conn.execute(text("SELECT name FROM sqlite_master WHERE type='table'"))
            in_schema = {row[0] for row in rows}

    assert in_schema == {*subgraph.infra.metadata.tables, "alembic_version"}
    if backend == "postgres":
        assert schema is not None
        assert schema.endswith(subgraph.name)
    else:
        assert schema is None
