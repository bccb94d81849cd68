"""The real catalog, inventory and checkout subgraphs wired together in process.

All three share the test's in-memory bus; checkout's inventory client speaks HTTP to the real
inventory app mounted by the real subgraph host (``shared.host.create_host``) under
``/inventory`` — the same path as in ``make up`` — through ``httpx.ASGITransport``, signed with
the same router secret. Nothing is faked: only the network is replaced by in-process calls.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from shared.bus.memory import InMemoryEventBus
from shared.host import create_host
from shared.settings import Settings
from subgraphs.checkout.app import create_subgraph as create_checkout
from tests.conftest import SubgraphFactory
from tests.integration.support import Shop


@pytest.fixture
async def shop(
    make_subgraph: SubgraphFactory,
    settings: Settings,
    bus: InMemoryEventBus,
    monkeypatch: pytest.MonkeyPatch,
) -> AsyncIterator[Shop]:
    # A loaded 2-core machine must not turn a slow answer into SERVICE_UNAVAILABLE here; the
    # timeout path itself is tested in tests/checkout with the fake inventory.
    monkeypatch.setenv("AGORA_CHECKOUT_INVENTORY_TIMEOUT", "30")
    catalog = await make_subgraph("catalog")
    inventory = await make_subgraph("inventory")
    host = create_host([inventory], bus)  # mounts it at /inventory, as the embedded host does
    checkout = create_checkout(settings, bus, inventory_transport=httpx.ASGITransport(app=host))
    await checkout.infra.migrate()
    shop = Shop(catalog=catalog, inventory=inventory, checkout=checkout)
    try:
        yield shop
    finally:
        await shop.aclose()
        for hook in checkout.on_stop:
            await hook()
        await inventory.asgi.state.batcher.close()
        await checkout.infra.database.dispose()
