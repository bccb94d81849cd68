"""Request context middleware: request ids, trace context in logs, per-subgraph metrics."""

from __future__ import annotations

import re

import httpx
import pytest
from prometheus_client import REGISTRY

from shared.app import SubgraphApp
from shared.auth import ANONYMOUS, signed_headers
from shared.settings import DEV_ROUTER_SECRET
from tests.conftest import SubgraphFactory
from tests.graphql_client import signed_post
from tests.shared.logs import json_logs

HEX32 = re.compile(r"^[0-9a-f]{32}$")
HEX16 = re.compile(r"^[0-9a-f]{16}$")
TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
PARENT_SPAN_ID = "00f067aa0ba902b7"
TRACEPARENT = f"00-{TRACE_ID}-{PARENT_SPAN_ID}-01"


@pytest.fixture
async def catalog(make_subgraph: SubgraphFactory) -> SubgraphApp:
    return await make_subgraph("catalog")


def client(app: SubgraphApp) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app.asgi), base_url="http://sg")


@pytest.mark.parametrize("request_id", ["abc-123", "req.2026:11:22_0001", "x" * 128])
async def test_a_valid_incoming_request_id_is_echoed(catalog: SubgraphApp, request_id: str) -> None:
    async with client(catalog) as http:
        response = await http.get("/healthz", headers={"x-request-id": request_id})

    assert response.headers["x-request-id"] == request_id


@pytest.mark.parametrize("request_id", ["bad id!", "", "x" * 129, "a/b", "k=v", b"abc\n"])
async def test_an_invalid_request_id_is_replaced(
    catalog: SubgraphApp, request_id: str | bytes
) -> None:
    async with client(catalog) as http:
        raw = request_id if isinstance(request_id, bytes) else request_id.encode()
        response = await http.get("/healthz", headers=[(b"x-request-id", raw)])

    assert HEX32.match(response.headers["x-request-id"])


async def test_every_response_gets_its_own_request_id(catalog: SubgraphApp) -> None:
    async with client(catalog) as http:
        responses = [
            await http.get("/healthz"),
            await http.get("/readyz"),
            await http.get("/missing"),
            await signed_post(http, "/graphql", {"query": "{ categories { id } }"}),
            await http.post("/graphql", content=b"not json"),
            await http.post(
                "/graphql",
                content=b"not json",
                headers=signed_headers(DEV_ROUTER_SECRET, ANONYMOUS, b"not json"),
            ),
        ]

    ids = [r.headers["x-request-id"] for r in responses]
    assert all(HEX32.match(i) for i in ids)
    assert len(set(ids)) == len(ids)
    assert [r.status_code for r in responses] == [200, 200, 404, 200, 401, 400]


async def test_the_access_log_line_carries_request_and_trace_ids(catalog: SubgraphApp) -> None:
    with json_logs() as lines:
        async with client(catalog) as http:
            response = await http.get("/healthz", headers={"x-request-id": "req-42"})

    [access] = [line for line in lines() if line["logger"] == "agora.access"]
    assert access["event"] == "request"
    assert access["request_id"] == "req-42" == response.headers["x-request-id"]
    assert HEX32.match(access["trace_id"])
    assert HEX16.match(access["span_id"])
    assert access["subgraph"] == "catalog"
    assert (access["method"], access["path"], access["status"]) == ("GET", "/healthz", 200)
    assert access["duration_ms"] >= 0


async def test_requests_without_trace_context_start_distinct_traces(catalog: SubgraphApp) -> None:
    with json_logs() as lines:
        async with client(catalog) as http:
            await http.get("/healthz")
            await http.get("/healthz")

    first, second = [line["trace_id"] for line in lines() if line["logger"] == "agora.access"]
    assert first != second


async def test_an_incoming_traceparent_sets_the_logged_trace_id(catalog: SubgraphApp) -> None:
    with json_logs() as lines:
        async with client(catalog) as http:
            await http.get("/healthz", headers={"traceparent": TRACEPARENT})

    [access] = [line for line in lines() if line["logger"] == "agora.access"]
    assert access["trace_id"] == TRACE_ID
    assert HEX16.match(access["span_id"])
    assert access["span_id"] != PARENT_SPAN_ID  # our server span is a child of the caller's


async def test_a_malformed_traceparent_is_ignored(catalog: SubgraphApp) -> None:
    with json_logs() as lines:
        async with client(catalog) as http:
            response = await http.get("/healthz", headers={"traceparent": "00-zzz-yyy-01"})

    [access] = [line for line in lines() if line["logger"] == "agora.access"]
    assert response.status_code == 200
    assert HEX32.match(access["trace_id"])
    assert access["trace_id"] != "0" * 32


def _count(subgraph: str, method: str, status: str) -> float:
    labels = {"subgraph": subgraph, "method": method, "status": status}
    return REGISTRY.get_sample_value("agora_http_requests_total", labels) or 0.0


async def test_requests_are_counted_by_subgraph_method_and_status(catalog: SubgraphApp) -> None:
    before = {
        key: _count("catalog", *key) for key in [("GET", "200"), ("GET", "404"), ("POST", "200")]
    }
    latency_before = (
        REGISTRY.get_sample_value(
            "agora_http_request_duration_seconds_count", {"subgraph": "catalog"}
        )
        or 0.0
    )

    async with client(catalog) as http:
        await http.get("/healthz")
        await http.get("/nope")
        await signed_post(http, "/graphql", {"query": "{ categories { id } }"})

    assert {key: _count("catalog", *key) - value for key, value in before.items()} == {
        ("GET", "200"): 1,
        ("GET", "404"): 1,
        ("POST", "200"): 1,
    }
    latency_after = REGISTRY.get_sample_value(
        "agora_http_request_duration_seconds_count", {"subgraph": "catalog"}
    )
    assert latency_after == latency_before + 3
