"""End to end through the real router and subgraph host: queries across subgraphs, staff
mutations, and the reviewPosted subscription over WebSocket and over SSE."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
from websockets.asyncio.client import connect

from subgraphs.launcher import Platform

PRODUCTS_WITH_REVIEWS = """
query Browse($first: Int!) {
  products(first: $first) {
    totalCount
    edges { node { id name price { amount currencyCode } category { name }
                   rating { average count } reviews(first: 2) { totalCount edges { node { rating title } } } } }
  }
}
"""
PRODUCT_CREATE = """
mutation Create($input: ProductCreateInput!) {
  productCreate(input: $input) { product { id slug status } userErrors { field message code } }
}
"""
REVIEW_CREATE = """
mutation Review($input: ReviewCreateInput!) {
  reviewCreate(input: $input) { review { id rating } userErrors { field code } }
}
"""
REVIEW_POSTED = """
subscription Live($productId: ID) { reviewPosted(productId: $productId) { id rating title product { id name } } }
"""
PRODUCT_RATING = "query($id: ID!) { product(id: $id) { rating { count average } } }"


async def graphql(
    platform: Platform,
    query: str,
    variables: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    async with httpx.AsyncClient(timeout=10) as client:
        response = await client.post(
            platform.router_url,
            json={"query": query, "variables": variables or {}},
            headers=headers or {},
        )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    return body["data"]


async def published_product(platform: Platform, staff: dict[str, str], name: str) -> str:
    data = await graphql(
        platform,
        PRODUCT_CREATE,
        {
            "input": {
                "name": name,
                "price": {"amount": "12.00", "currencyCode": "EUR"},
                "status": "PUBLISHED",
            }
        },
        staff,
    )
    assert data["productCreate"]["userErrors"] == []
    product_id: str = data["productCreate"]["product"]["id"]
    return product_id


async def post_review_when_known(platform: Platform, product_id: str, title: str) -> dict[str, Any]:
    """The reviews subgraph learns the product through an event: retry until it has (≤ 10 s)."""
    async with asyncio.timeout(10):
        while True:
            data = await graphql(
                platform,
                REVIEW_CREATE,
                {
                    "input": {
                        "productId": product_id,
                        "rating": 4,
                        "title": title,
                        "authorName": "Ada",
                    }
                },
            )
            payload: dict[str, Any] = data["reviewCreate"]
            if (
                payload["userErrors"] == []
                or payload["userErrors"][0]["code"] != "PRODUCT_NOT_FOUND"
            ):
                return payload
            await asyncio.sleep(0.05)


async def test_query_spans_catalog_and_reviews(platform: Platform) -> None:
    data = await graphql(platform, PRODUCTS_WITH_REVIEWS, {"first": 10})
    products = data["products"]
    assert products["totalCount"] >= 20
    nodes = [e["node"] for e in products["edges"]]
    assert len(nodes) == 10
    assert all(n["category"]["name"] for n in nodes)
    reviewed = [n for n in nodes if n["rating"]["count"] > 0]
    assert reviewed, "the seed writes reviews for most products"
    for node in reviewed:
        assert node["reviews"]["totalCount"] == node["rating"]["count"]
        assert 1 <= float(node["rating"]["average"]) <= 5


async def test_staff_mutation_needs_the_token(platform: Platform) -> None:
    async with httpx.AsyncClient(timeout=10) as client:
        response = await client.post(
            platform.router_url,
            json={
                "query": PRODUCT_CREATE,
                "variables": {
                    "input": {"name": "Nope", "price": {"amount": "1.00", "currencyCode": "EUR"}}
                },
            },
        )
    body = response.json()
    assert body["data"] is None or body["data"]["productCreate"] is None
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_review_updates_rating_through_events(
    platform: Platform, staff: dict[str, str]
) -> None:
    product_id = await published_product(platform, staff, "E2E Rated Lamp")
    payload = await post_review_when_known(platform, product_id, "Bright")
    assert payload["userErrors"] == []
    async with asyncio.timeout(10):
        while True:
            data = await graphql(platform, PRODUCT_RATING, {"id": product_id})
            if data["product"]["rating"]["count"] == 1:
                break
            await asyncio.sleep(0.05)
    assert data["product"]["rating"]["average"] == "4.00"


async def test_review_posted_over_websocket(platform: Platform, staff: dict[str, str]) -> None:
    product_id = await published_product(platform, staff, "E2E Socket Kettle")
    ws_url = platform.router_url.replace("http://", "ws://")
    async with connect(ws_url, subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
        await ws.send(json.dumps({"type": "connection_init", "payload": {}}))
        assert json.loads(await ws.recv())["type"] == "connection_ack"
        await ws.send(
            json.dumps(
                {
                    "id": "1",
                    "type": "subscribe",
                    "payload": {"query": REVIEW_POSTED, "variables": {"productId": product_id}},
                }
            )
        )
        await asyncio.sleep(0.5)  # let the router open its upstream subscription
        review = await post_review_when_known(platform, product_id, "Boils fast")
        async with asyncio.timeout(10):
            message = json.loads(await ws.recv())
    assert message["type"] == "next", message
    assert "errors" not in message["payload"], message
    live = message["payload"]["data"]["reviewPosted"]
    assert live["id"] == review["review"]["id"]
    assert live["title"] == "Boils fast"
    assert live["product"] == {"id": product_id, "name": "E2E Socket Kettle"}


async def test_review_posted_over_sse(platform: Platform, staff: dict[str, str]) -> None:
    product_id = await published_product(platform, staff, "E2E Streamed Teapot")
    received: list[dict[str, Any]] = []

    async def listen() -> None:
        async with (
            httpx.AsyncClient(timeout=15) as client,
            client.stream(
                "POST",
                platform.router_url,
                json={"query": REVIEW_POSTED, "variables": {"productId": product_id}},
                headers={"accept": "text/event-stream"},
            ) as response,
        ):
            assert response.status_code == 200
            assert response.headers["content-type"].startswith("text/event-stream")
            async for line in response.aiter_lines():
                if line.startswith("data:") and line[5:].strip():
                    received.append(json.loads(line[5:]))
                    return

    listener = asyncio.create_task(listen())
    await asyncio.sleep(0.5)
    review = await post_review_when_known(platform, product_id, "Steeps well")
    async with asyncio.timeout(10):
        await listener
    live = received[0]["data"]["reviewPosted"]
    assert live["id"] == review["review"]["id"]
    assert live["product"]["name"] == "E2E Streamed Teapot"
