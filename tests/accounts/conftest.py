"""Fixtures of the accounts tests: the accounts subgraph (reviews beside it for GDPR), a fake
clock the use cases read, the local mail outbox, a client."""

from __future__ import annotations

from collections.abc import AsyncIterator
from functools import partial

import pytest

from shared.app import SubgraphApp
from subgraphs.accounts.app import runtime_of
from subgraphs.accounts.services.runtime import AccountsRuntime
from subgraphs.accounts.uow import AccountsUnitOfWork
from tests.accounts.support import AccountsUow, FakeClock, Outbox
from tests.conftest import SubgraphFactory
from tests.graphql_client import SubgraphClient


@pytest.fixture
async def accounts(make_subgraph: SubgraphFactory) -> SubgraphApp:
    return await make_subgraph("accounts")


@pytest.fixture
def clock(accounts: SubgraphApp) -> FakeClock:
    fake = FakeClock()
    runtime_of(accounts).clock = fake
    return fake


@pytest.fixture
def runtime(accounts: SubgraphApp, clock: FakeClock) -> AccountsRuntime:
    return runtime_of(accounts)


@pytest.fixture
def accounts_uow(accounts: SubgraphApp) -> AccountsUow:
    return partial(accounts.infra.unit_of_work, AccountsUnitOfWork)


@pytest.fixture
def outbox(accounts: SubgraphApp) -> Outbox:
    return Outbox(accounts.infra.settings.data_dir / "mail")


@pytest.fixture
async def client(accounts: SubgraphApp, clock: FakeClock) -> AsyncIterator[SubgraphClient]:
    client = SubgraphClient(accounts)
    yield client
    await client.aclose()
