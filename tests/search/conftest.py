"""Fixtures of the search tests: engines (every backend that runs here) loaded with a small
catalog, and the search subgraph on the test's database with a signed GraphQL client."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from subgraphs.search.adapters.engine import SearchEngine
from subgraphs.search.adapters.tantivy_engine import TantivyEngine
from subgraphs.search.app import SearchSubgraphApp
from tests.conftest import SubgraphFactory
from tests.graphql_client import SubgraphClient
from tests.search.support import catalog

ENGINES = ["tantivy"]  # Meilisearch has no server here: see test_meilisearch_contract.py


def new_engine(name: str) -> SearchEngine:
    assert name == "tantivy"
    return TantivyEngine()


@pytest.fixture(params=ENGINES)
async def engine(request: pytest.FixtureRequest) -> AsyncIterator[SearchEngine]:
    built = new_engine(str(request.param))
    await built.upsert_many(catalog())
    await built.commit()
    yield built
    await built.close()


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
