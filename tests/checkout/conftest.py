"""Fixtures of the checkout tests: the checkout subgraph on the test's database, a fake
inventory (built from its contract, reached over signed HTTP through an ASGI transport), a
catalog of variants learnt from ProductUpserted events, a shipping zone with methods and taxes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from functools import partial

import httpx
import pytest

from shared.app import SubgraphApp
from shared.bus.memory import InMemoryEventBus
from shared.settings import Settings
from subgraphs.checkout.app import create_subgraph
from subgraphs.checkout.uow import CheckoutUnitOfWork
from tests.checkout.fake_inventory import FakeInventory
from tests.checkout.support import CheckoutUow, Shop, publish_product, set_up_shop
from tests.graphql_client import SubgraphClient


@pytest.fixture
def inventory(settings: Settings) -> FakeInventory:
    return FakeInventory(secret=settings.router_secret)


@pytest.fixture
async def checkout(
    settings: Settings, bus: InMemoryEventBus, inventory: FakeInventory
) -> AsyncIterator[SubgraphApp]:
    app = create_subgraph(settings, bus, inventory_transport=httpx.ASGITransport(app=inventory.app))
    await app.infra.migrate()
    yield app
    for hook in app.on_stop:
        await hook()
    await app.infra.database.dispose()


@pytest.fixture
def checkout_uow(checkout: SubgraphApp) -> CheckoutUow:
    return partial(checkout.infra.unit_of_work, CheckoutUnitOfWork)


@pytest.fixture
async def client(checkout: SubgraphApp) -> AsyncIterator[SubgraphClient]:
    client = SubgraphClient(checkout)
    yield client
    await client.aclose()


@pytest.fixture
async def shop(
    checkout: SubgraphApp,
    checkout_uow: CheckoutUow,
    bus: InMemoryEventBus,
    inventory: FakeInventory,
) -> Shop:
    """Two products (a shirt in two sizes at 20.00 EUR, a mug at 8.50 EUR), stock of 10 each,
    a zone for DE/FR/NL with a flat 4.90 method (free over 100) and a weight-band method,
    19 % VAT in DE."""
    await publish_product(bus, "shirt", [("shirt-m", "20.00", 300), ("shirt-l", "20.00", 300)])
    await publish_product(bus, "mug", [("mug", "8.50", 500)])
    for variant in ("shirt-m", "shirt-l", "mug"):
        inventory.stock[variant] = 10
    return await set_up_shop(checkout_uow)
