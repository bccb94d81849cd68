"""Fixtures for the shared GraphQL tests: the catalog subgraph as a real example, SQL counting."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from shared.app import SubgraphApp
from tests.conftest import SubgraphFactory
from tests.graphql_client import SubgraphClient


@pytest.fixture
async def catalog(make_subgraph: SubgraphFactory) -> SubgraphApp:
    return await make_subgraph("catalog")


@pytest.fixture
async def catalog_client(catalog: SubgraphApp) -> AsyncIterator[SubgraphClient]:
    client = SubgraphClient(catalog)
    yield client
    await client.aclose()
