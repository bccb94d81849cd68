"""Fixtures of the orders tests: the orders subgraph on the test's database and the in-process
bus, its units of work, a signed GraphQL client."""

from __future__ import annotations

from collections.abc import AsyncIterator
from functools import partial

import pytest

from shared.app import SubgraphApp
from subgraphs.orders.uow import OrdersUnitOfWork
from tests.conftest import SubgraphFactory
from tests.graphql_client import SubgraphClient
from tests.orders.support import OrdersUow


@pytest.fixture
async def orders(make_subgraph: SubgraphFactory) -> SubgraphApp:
    return await make_subgraph("orders")


@pytest.fixture
def orders_uow(orders: SubgraphApp) -> OrdersUow:
    return partial(orders.infra.unit_of_work, OrdersUnitOfWork)


@pytest.fixture
async def client(orders: SubgraphApp) -> AsyncIterator[SubgraphClient]:
    client = SubgraphClient(orders)
    yield client
    await client.aclose()
