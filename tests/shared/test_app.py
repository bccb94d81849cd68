"""The subgraph app: health, readiness (ok and failing), lifecycle hooks."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import redis.asyncio

from shared.app import Hook, SubgraphApp
from shared.bus.base import EventBus
from shared.bus.factory import create_bus
from shared.bus.memory import InMemoryEventBus
from shared.bus.redis_streams import RedisStreamsEventBus
from shared.settings import Settings, load_settings
from subgraphs import registry
from tests.conftest import REDIS_URL, SubgraphFactory
from tests.shared.logs import json_logs
from tests.sqlite_workers import sqlite_workers_joined

BUSES = ["memory", "redis"] if REDIS_URL else ["memory"]


def client(app: SubgraphApp) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app.asgi), base_url="http://sg")


@pytest.fixture
async def catalog(make_subgraph: SubgraphFactory) -> SubgraphApp:
    return await make_subgraph("catalog")


async def test_healthz(catalog: SubgraphApp) -> None:
    async with client(catalog) as http:
        response = await http.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "subgraph": "catalog"}


async def test_readyz_when_the_database_answers(catalog: SubgraphApp) -> None:
    async with client(catalog) as http:
        response = await http.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ready",
        "subgraph": "catalog",
        "checks": {"database": "ok"},
    }


async def test_readyz_is_503_when_the_sqlite_file_cannot_be_opened(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    settings = load_settings({"AGORA_ENV": "test", "AGORA_DATA_DIR": str(data_dir)})
    catalog = registry.factory("catalog")(settings, InMemoryEventBus())
    await catalog.infra.migrate()
    await catalog.infra.database.dispose()
    shutil.rmtree(data_dir)
    data_dir.write_text("a file where the data directory was")

    with json_logs() as lines:
        async with sqlite_workers_joined():
            async with client(catalog) as http:
                response = await http.get("/readyz")
            await catalog.infra.database.dispose()

    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "subgraph": "catalog",
        "checks": {"database": "error: OperationalError"},
    }
    [warning] = [line for line in lines() if line["event"] == "readiness check failed"]
    assert warning["check"] == "database"
    assert warning["level"] == "warning"


async def test_readyz_is_503_when_postgresql_is_unreachable() -> None:
    settings = load_settings(
        {"AGORA_ENV": "test", "AGORA_CATALOG_DATABASE_URL": "postgresql://postgres@127.0.0.1:1/x"}
    )
    catalog = registry.factory("catalog")(settings, InMemoryEventBus())
    try:
        async with client(catalog) as http:
            response = await http.get("/readyz")
    finally:
        await catalog.infra.database.dispose()

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"].startswith("error: ")


@pytest.fixture(params=BUSES)
async def reachable_bus(request: pytest.FixtureRequest) -> AsyncIterator[EventBus]:
    if request.param == "memory":
        yield InMemoryEventBus()
        return
    bus = create_bus(load_settings({"AGORA_REDIS_URL": str(REDIS_URL)}))
    assert isinstance(bus, RedisStreamsEventBus)
    yield bus
    await bus.stop()


async def test_readyz_checks_the_event_bus_when_redis_is_configured(
    settings: Settings, reachable_bus: EventBus
) -> None:
    with_redis = load_settings(
        {
            "AGORA_ENV": "test",
            "AGORA_DATA_DIR": str(settings.data_dir),
            "AGORA_REDIS_URL": REDIS_URL or "redis://127.0.0.1:6379/0",
        }
    )
    catalog = registry.factory("catalog")(with_redis, reachable_bus)
    try:
        async with client(catalog) as http:
            response = await http.get("/readyz")
    finally:
        await catalog.infra.database.dispose()

    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "event_bus": "ok"}


async def test_readyz_is_503_when_the_event_bus_is_unreachable(settings: Settings) -> None:
    unreachable = "redis://127.0.0.1:1/0"
    with_redis = load_settings(
        {"AGORA_DATA_DIR": str(settings.data_dir), "AGORA_REDIS_URL": unreachable}
    )
    bus = RedisStreamsEventBus(redis.asyncio.from_url(unreachable), close_client=True)
    catalog = registry.factory("catalog")(with_redis, bus)
    try:
        async with client(catalog) as http:
            response = await http.get("/readyz")
    finally:
        await catalog.infra.database.dispose()
        await bus.stop()

    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["database"] == "ok"
    assert checks["event_bus"].startswith("error: ")


async def test_start_and_stop_run_the_hooks_in_order(catalog: SubgraphApp) -> None:
    calls: list[str] = []

    def hook(name: str, *, fail: bool = False) -> Hook:
        async def run() -> None:
            calls.append(name)
            if fail:
                raise RuntimeError(f"{name} failed")

        return run

    app = SubgraphApp(
        schema=catalog.schema,
        context_getter=catalog.context_getter,
        infra=catalog.infra,
        on_start=[hook("start-1"), hook("start-2")],
        on_stop=[hook("stop-1"), hook("stop-2", fail=True)],
    )

    await app.start()
    assert calls == ["start-1", "start-2"]
    with json_logs() as lines:
        await app.stop()

    assert calls == ["start-1", "start-2", "stop-2", "stop-1"]
    [error] = [line for line in lines() if line["level"] == "error"]
    assert error["event"] == "error while stopping subgraph"
    assert error["subgraph"] == "catalog"
    assert "RuntimeError: stop-2 failed" in error["exception"]
