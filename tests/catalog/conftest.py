"""Fixtures of the catalog tests: the migrated subgraph, its unit of work, a GraphQL client and
a category tree (each on every backend of the ``backend`` fixture)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from functools import partial

import pytest

from shared.app import SubgraphApp
from subgraphs.catalog.uow import CatalogUnitOfWork
from tests.catalog.support import CatalogUow, Tree, build_tree
from tests.conftest import SubgraphFactory
from tests.graphql_client import SubgraphClient


@pytest.fixture
async def catalog(make_subgraph: SubgraphFactory) -> SubgraphApp:
    return await make_subgraph("catalog")


@pytest.fixture
def catalog_uow(catalog: SubgraphApp) -> CatalogUow:
    return partial(catalog.infra.unit_of_work, CatalogUnitOfWork)


@pytest.fixture
async def client(catalog: SubgraphApp) -> AsyncIterator[SubgraphClient]:
    client = SubgraphClient(catalog)
    yield client
    await client.aclose()


@pytest.fixture
async def tree(catalog_uow: CatalogUow) -> Tree:
    return await build_tree(catalog_uow)
