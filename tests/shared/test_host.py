"""The subgraph host: mounts subgraphs, aggregates readiness, serves metrics, runs lifespans."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from starlette.applications import Starlette

from shared.app import SubgraphApp
from shared.bus.memory import InMemoryEventBus
from shared.events import Envelope
from shared.host import create_host
from shared.settings import load_settings
from subgraphs import registry
from tests.conftest import SubgraphFactory
from tests.graphql_client import STAFF
from tests.sqlite_workers import sqlite_workers_joined

PRODUCT_CREATE = """
mutation Create($input: ProductCreateInput!) {
  productCreate(input: $input) { product { id } userErrors { code } }
}
"""


@asynccontextmanager
async def serving(host: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    """Run the host's lifespan (httpx's ASGI transport does not) and a client on it."""
    async with (
        host.router.lifespan_context(host),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=host), base_url="http://host") as http,
    ):
        yield http


@pytest.fixture
async def subgraphs(make_subgraph: SubgraphFactory) -> list[SubgraphApp]:
    return [await make_subgraph(name) for name in registry.SUBGRAPHS]


def _requests_total(exposition: str, subgraph: str, status: str) -> float:
    for family in text_string_to_metric_families(exposition):
        if family.name == "agora_http_requests":
            for sample in family.samples:
                labels = {"subgraph": subgraph, "method": "GET", "status": status}
                if sample.name == "agora_http_requests_total" and sample.labels == labels:
                    return sample.value
    return 0.0


async def test_healthz_lists_the_subgraphs(
    subgraphs: list[SubgraphApp], bus: InMemoryEventBus
) -> None:
    async with serving(create_host(subgraphs, bus)) as http:
        response = await http.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "subgraphs": list(registry.SUBGRAPHS)}


async def test_each_subgraph_is_mounted_under_its_name(
    subgraphs: list[SubgraphApp], bus: InMemoryEventBus
) -> None:
    async with serving(create_host(subgraphs, bus)) as http:
        for name in registry.SUBGRAPHS:
            response = await http.get(f"/{name}/healthz")
            assert response.json() == {"status": "ok", "subgraph": name}
        graphql = await http.post("/catalog/graphql", json={"query": "{ categories { id } }"})
        missing = await http.get("/nowhere/healthz")

    assert graphql.json() == {"data": {"categories": []}}
    assert missing.status_code == 404


async def test_readyz_aggregates_every_subgraph(
    subgraphs: list[SubgraphApp], bus: InMemoryEventBus
) -> None:
    async with serving(create_host(subgraphs, bus)) as http:
        response = await http.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ready",
        "subgraphs": {name: {"database": "ok"} for name in registry.SUBGRAPHS},
    }


async def test_readyz_is_503_when_one_subgraph_is_not_ready(tmp_path: Path) -> None:
    settings = load_settings({"AGORA_ENV": "test", "AGORA_DATA_DIR": str(tmp_path / "data")})
    broken = load_settings({"AGORA_ENV": "test", "AGORA_DATA_DIR": str(tmp_path / "gone")})
    bus = InMemoryEventBus()
    catalog = registry.factory("catalog")(settings, bus)
    reviews = registry.factory("reviews")(broken, bus)
    for app in (catalog, reviews):
        await app.infra.migrate()
        await app.infra.database.dispose()
    shutil.rmtree(tmp_path / "gone")
    (tmp_path / "gone").write_text("not a directory")
    host = create_host([catalog, reviews], bus)

    async with sqlite_workers_joined():
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=host), base_url="http://h"
        ) as http:
            response = await http.get("/readyz")
        for app in (catalog, reviews):
            await app.infra.database.dispose()

    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "subgraphs": {
            "catalog": {"database": "ok"},
            "reviews": {"database": "error: OperationalError"},
        },
    }


async def test_metrics_count_requests_per_subgraph(
    subgraphs: list[SubgraphApp], bus: InMemoryEventBus
) -> None:
    async with serving(create_host(subgraphs, bus)) as http:
        before = (await http.get("/metrics")).text
        await http.get("/catalog/healthz")
        await http.get("/catalog/healthz")
        await http.get("/catalog/no-such-page")
        response = await http.get("/metrics")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    after = response.text
    assert "# TYPE agora_http_requests_total counter" in after
    assert _requests_total(after, "catalog", "200") - _requests_total(before, "catalog", "200") == 2
    assert _requests_total(after, "catalog", "404") - _requests_total(before, "catalog", "404") == 1
    assert _requests_total(after, "reviews", "200") == _requests_total(before, "reviews", "200")
    assert "agora_http_request_duration_seconds_bucket" in after


async def test_metrics_can_be_served_as_openmetrics(
    subgraphs: list[SubgraphApp], bus: InMemoryEventBus
) -> None:
    async with serving(create_host(subgraphs, bus)) as http:
        response = await http.get(
            "/metrics", headers={"accept": "application/openmetrics-text; version=1.0.0"}
        )

    assert response.headers["content-type"].startswith("application/openmetrics-text")
    assert response.text.rstrip().endswith("# EOF")


async def test_the_lifespan_starts_the_relay_and_the_bus(
    subgraphs: list[SubgraphApp], bus: InMemoryEventBus
) -> None:
    received: asyncio.Queue[Envelope] = asyncio.Queue()

    async def handler(envelope: Envelope) -> None:
        await received.put(envelope)

    bus.subscribe("host-test", ["ProductUpserted"], handler)
    variables = {"input": {"name": "Lamp", "price": {"amount": "12.50", "currencyCode": "EUR"}}}

    async with serving(create_host(subgraphs, bus)) as http:
        response = await http.post(
            "/catalog/graphql",
            json={"query": PRODUCT_CREATE, "variables": variables},
            principal=STAFF,
        )
        product_id = response.json()["data"]["productCreate"]["product"]["id"]
        envelope = await asyncio.wait_for(received.get(), timeout=10)

    assert envelope.source == "catalog"
    assert envelope.key == product_id
    assert envelope.payload["name"] == "Lamp"


async def test_a_failed_start_stops_the_subgraphs_already_started(
    subgraphs: list[SubgraphApp], bus: InMemoryEventBus
) -> None:
    calls: list[str] = []

    async def record_stop() -> None:
        calls.append("catalog stopped")

    async def fail_start() -> None:
        raise RuntimeError("cannot start")

    by_name = {s.name: s for s in subgraphs}  # any number of registered subgraphs
    catalog, reviews = by_name["catalog"], by_name["reviews"]
    first = SubgraphApp(
        catalog.schema, catalog.context_getter, catalog.infra, on_stop=[record_stop]
    )
    second = SubgraphApp(
        reviews.schema, reviews.context_getter, reviews.infra, on_start=[fail_start]
    )
    host = create_host([first, second], bus)

    with pytest.raises(RuntimeError, match="cannot start"):
        async with host.router.lifespan_context(host):
            pytest.fail("the host must not serve when a subgraph cannot start")

    assert calls == ["catalog stopped"]
    relays = [t for t in asyncio.all_tasks() if t.get_name() == "outbox-relay" and not t.done()]
    assert relays == []  # neither the stopped subgraph's nor the half-started one's
