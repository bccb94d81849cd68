"""Fixtures of the payments tests: the payments subgraph (simulator provider) on the test's
database and bus; its processor is driven by the tests (``drain``), never by a timer."""

from __future__ import annotations

from collections.abc import AsyncIterator
from functools import partial
from typing import Any

import pytest

from shared.app import SubgraphApp
from subgraphs.payments.uow import PaymentsUnitOfWork
from tests.conftest import SubgraphFactory
from tests.graphql_client import SubgraphClient


@pytest.fixture
async def payments(make_subgraph: SubgraphFactory) -> SubgraphApp:
    return await make_subgraph("payments")


@pytest.fixture
def payments_uow(payments: SubgraphApp) -> Any:
    return partial(payments.infra.unit_of_work, PaymentsUnitOfWork)


@pytest.fixture
async def client(payments: SubgraphApp) -> AsyncIterator[SubgraphClient]:
    client = SubgraphClient(payments)
    yield client
    await client.aclose()
