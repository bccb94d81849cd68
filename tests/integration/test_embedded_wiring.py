"""The embedded wiring of ``make up``: the launcher runs one host process that mounts every
subgraph under ``/<name>`` on 127.0.0.1:<host port>, and checkout's default inventory URL is
that host's ``/inventory`` — so a reservation sent there reaches the real inventory app."""

from __future__ import annotations

import httpx

from shared.app import SubgraphApp
from shared.auth import Principal
from shared.bus.memory import InMemoryEventBus
from shared.host import create_host
from shared.service_client import ServiceClient
from shared.settings import Settings, load_settings
from subgraphs import registry
from subgraphs.checkout.settings import CheckoutSettings
from subgraphs.launcher import Platform
from tests.conftest import SubgraphFactory


def test_the_launchers_host_url_is_checkouts_default_inventory_base() -> None:
    for platform in (Platform(env={}), Platform(env={}, host_port=5101)):
        # the launcher hands its host port to the host process as AGORA_SUBGRAPHS_PORT
        child = load_settings(
            {"AGORA_ENV": "test", "AGORA_SUBGRAPHS_PORT": str(platform.host_port)}
        )
        local = CheckoutSettings.load(child, {})
        assert local.inventory_url == f"{platform.host_url}/inventory"
    assert Platform(env={}).host_url == "http://127.0.0.1:4001"


async def test_the_default_url_reaches_inventory_mounted_by_the_host(
    make_subgraph: SubgraphFactory, settings: Settings, bus: InMemoryEventBus
) -> None:
    subgraphs: list[SubgraphApp] = [await make_subgraph(name) for name in registry.SUBGRAPHS]
    host = create_host(subgraphs, bus)  # what `python -m subgraphs serve` runs
    local = CheckoutSettings.load(settings, {})
    assert local.inventory_url == (
        f"http://{settings.subgraphs_host}:{settings.subgraphs_port}/inventory"
    )
    client = ServiceClient(
        service="inventory",
        base_url=local.inventory_url,
        secret=settings.router_secret,
        caller=Principal.service("checkout"),
        timeout=local.inventory_timeout,
        transport=httpx.ASGITransport(app=host),  # the host in process instead of the socket
    )
    try:
        response = await client.post(
            "/internal/availability", {"variant_ids": ["v1"]}, idempotent=True
        )
    finally:
        await client.aclose()
        inventory = next(s for s in subgraphs if s.name == "inventory")
        await inventory.asgi.state.batcher.close()
    assert response.status_code == 200, response.text
    assert response.json() == {
        "variants": [{"variant_id": "v1", "available": 0, "in_stock": False, "backorder_eta": None}]
    }
