"""Fixtures of the inventory tests: the subgraph on the test's database, its units of work, a
signed GraphQL client and a signed client of the internal API."""

from __future__ import annotations

from collections.abc import AsyncIterator
from functools import partial

import pytest

from shared.app import SubgraphApp
from subgraphs.inventory.settings import InventorySettings
from subgraphs.inventory.uow import InventoryUnitOfWork
from tests.conftest import SubgraphFactory
from tests.graphql_client import SubgraphClient
from tests.inventory.support import Clock, InternalClient, InventoryUow


@pytest.fixture
async def inventory(make_subgraph: SubgraphFactory) -> AsyncIterator[SubgraphApp]:
    app = await make_subgraph("inventory")
    yield app
    await app.asgi.state.batcher.close()  # its lanes start on first use, without app.start()


@pytest.fixture
def inventory_uow(inventory: SubgraphApp) -> InventoryUow:
    return partial(inventory.infra.unit_of_work, InventoryUnitOfWork)


@pytest.fixture
def inventory_settings() -> InventorySettings:
    return InventorySettings()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def client(inventory: SubgraphApp) -> AsyncIterator[SubgraphClient]:
    client = SubgraphClient(inventory)
    yield client
    await client.aclose()


@pytest.fixture
async def internal(inventory: SubgraphApp) -> AsyncIterator[InternalClient]:
    client = InternalClient(inventory)
    yield client
    await client.aclose()
