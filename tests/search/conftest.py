"""Fixtures of the search tests: engines (every backend that runs here) loaded with a small
catalog, and the search subgraph on the test's database with a signed GraphQL client."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text

from shared.db import Database
from shared.migrations import upgrade
from shared.settings import DatabaseConfig
from subgraphs.search.adapters.engine import SearchEngine
from subgraphs.search.adapters.postgres_engine import PostgresEngine
from subgraphs.search.adapters.tantivy_engine import TantivyEngine
from subgraphs.search.app import SearchSubgraphApp
from tests.conftest import POSTGRES_URL, SubgraphFactory, pg_url
from tests.graphql_client import SubgraphClient
from tests.search.support import catalog

# Meilisearch has no server here: see test_meilisearch_contract.py. PostgreSQL runs whenever
# AGORA_TEST_POSTGRES_URL is set (never skipped then).
ENGINES = ["tantivy", "postgres"] if POSTGRES_URL else ["tantivy"]
MIGRATIONS = Path(__file__).parents[2] / "subgraphs" / "search" / "migrations"


@pytest.fixture(params=ENGINES)
async def engine(request: pytest.FixtureRequest) -> AsyncIterator[SearchEngine]:
    database: Database | None = None
    built: SearchEngine
    if request.param == "postgres":
        database = Database(DatabaseConfig(pg_url(), schema=f"t{uuid.uuid4().hex[:10]}_search"))
        await upgrade(database, MIGRATIONS)
        built = PostgresEngine(database.engine)
    else:
        built = TantivyEngine()
    await built.upsert_many(catalog())
    await built.commit()
    yield built
    await built.close()
    if database is not None:
        async with database.engine.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA "{database.config.schema}" CASCADE'))
        await database.dispose()


@pytest.fixture
async def search(make_subgraph: SubgraphFactory) -> SearchSubgraphApp:
    app = await make_subgraph("search")
    assert isinstance(app, SearchSubgraphApp)
    return app


@pytest.fixture
async def client(search: SearchSubgraphApp) -> AsyncIterator[SubgraphClient]:
    client = SubgraphClient(search)
    yield client
    await client.aclose()
