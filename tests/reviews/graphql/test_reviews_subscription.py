"""``reviewPosted`` over a real graphql-transport-ws connection, in process.

How it runs, and why: the reviews app is served by uvicorn on 127.0.0.1 (an ephemeral port)
inside the test's own event loop, so the app, its database engine, the in-memory bus and the
outbox relay all share one loop. (Starlette's TestClient would run the app in a thread with a
second loop, where the engine built by the fixtures and ``relay.run_once`` do not belong.) The
test speaks the protocol with the ``websockets`` client, posts reviews with ``reviewCreate``
over HTTP to the same server, and runs the relay itself: nothing is delivered before it runs.

A subscription starts listening to the bus in a task the server creates for the ``subscribe``
message; the server answers a later ``ping`` only after that task had its turn, so the ``pong``
is the point from which an event published on the bus reaches the subscription.
"""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator
from typing import Any

import httpx
import orjson
import pytest
import uvicorn
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from shared.app import SubgraphApp
from shared.auth import ANONYMOUS, Principal, sign, signed_headers, websocket_params
from shared.settings import DEV_ROUTER_SECRET
from tests.catalog.support import CatalogUow
from tests.reviews.support import drain, published_product

REVIEW_POSTED = """
subscription ReviewPosted($productId: ID) {
  reviewPosted(productId: $productId) { id rating title }
}
"""
REVIEW_CREATE = """
mutation ReviewCreate($input: ReviewCreateInput!) {
  reviewCreate(input: $input) { review { id } userErrors { code } }
}
"""
CUSTOMER = Principal.customer("c-1")
# Signed when collected: only for the refused cases, whose signatures must fail anyway.
SIGNED_INIT = websocket_params(DEV_ROUTER_SECRET, CUSTOMER)
WAIT = 10.0  # seconds before a missing message fails the test (never reached when it works)


@pytest.fixture
async def server(reviews: SubgraphApp) -> AsyncIterator[str]:
    """``host:port`` of the reviews app served by uvicorn in this event loop."""
    config = uvicorn.Config(
        reviews.asgi,
        lifespan="off",
        ws="websockets-sansio",
        log_config=None,
        log_level="warning",
    )
    served = uvicorn.Server(config)
    # A socket already listening: clients may connect (into the backlog) before uvicorn accepts.
    listening = socket.create_server(("127.0.0.1", 0))
    with listening:
        task = asyncio.create_task(served.serve(sockets=[listening]))
        yield f"127.0.0.1:{listening.getsockname()[1]}"
        served.should_exit = True
        await task


async def send(ws: ClientConnection, message: dict[str, Any]) -> None:
    await ws.send(json.dumps(message))


async def receive(ws: ClientConnection) -> dict[str, Any]:
    async with asyncio.timeout(WAIT):
        message: dict[str, Any] = json.loads(await ws.recv())
    return message


async def post_review(http: httpx.AsyncClient, product_id: str, title: str, rating: int) -> str:
    body = orjson.dumps(
        {
            "query": REVIEW_CREATE,
            "variables": {
                "input": {
                    "productId": product_id,
                    "rating": rating,
                    "title": title,
                    "authorName": "Ada",
                }
            },
        }
    )
    headers = signed_headers(DEV_ROUTER_SECRET, ANONYMOUS, body)
    response = await http.post(
        "/graphql", content=body, headers={**headers, "content-type": "application/json"}
    )
    payload = response.json()["data"]["reviewCreate"]
    assert payload["userErrors"] == []
    review_id: str = payload["review"]["id"]
    return review_id


async def test_a_subscription_receives_reviews_of_its_product_once_the_relay_runs(
    catalog: SubgraphApp, reviews: SubgraphApp, catalog_uow: CatalogUow, server: str
) -> None:
    shirt = await published_product(catalog, catalog_uow, "Oxford Shirt")
    mug = await published_product(catalog, catalog_uow, "Mug")

    async with (
        connect(f"ws://{server}/graphql", subprotocols=["graphql-transport-ws"]) as ws,
        httpx.AsyncClient(base_url=f"http://{server}") as http,
    ):
        # Signed now: a signature is good for five minutes, and the suite may run longer.
        init = websocket_params(DEV_ROUTER_SECRET, CUSTOMER)
        await send(ws, {"type": "connection_init", "payload": init})
        assert await receive(ws) == {"type": "connection_ack"}
        await send(
            ws,
            {
                "id": "shirt",
                "type": "subscribe",
                "payload": {"query": REVIEW_POSTED, "variables": {"productId": shirt.id}},
            },
        )
        await send(ws, {"id": "all", "type": "subscribe", "payload": {"query": REVIEW_POSTED}})
        await send(ws, {"type": "ping"})
        assert await receive(ws) == {"type": "pong"}

        mug_review = await post_review(http, mug.id, "Chipped", 2)
        shirt_review = await post_review(http, shirt.id, "Fits well", 5)
        await send(ws, {"type": "ping"})
        assert await receive(ws) == {"type": "pong"}  # nothing was delivered before the relay

        assert await drain(reviews) == 2  # the mug's review first, then the shirt's

        received = [await receive(ws) for _ in range(3)]

    by_subscription: dict[str, list[dict[str, Any]]] = {}
    for message in received:
        assert message["type"] == "next", message
        by_subscription.setdefault(message["id"], []).append(
            message["payload"]["data"]["reviewPosted"]
        )
    assert by_subscription == {
        "shirt": [{"id": shirt_review, "rating": 5, "title": "Fits well"}],
        "all": [
            {"id": mug_review, "rating": 2, "title": "Chipped"},
            {"id": shirt_review, "rating": 5, "title": "Fits well"},
        ],
    }


@pytest.mark.parametrize(
    "payload",
    [
        None,
        {},
        {"identity": "", "signature": "t=1,v1=00"},
        {
            **SIGNED_INIT,
            "signature": sign("x" * 32, SIGNED_INIT["identity"], b"graphql-transport-ws"),
        },
        {**websocket_params(DEV_ROUTER_SECRET, ANONYMOUS), "identity": SIGNED_INIT["identity"]},
    ],
    ids=["no-payload", "empty", "bad-signature", "wrong-secret", "identity-swapped"],
)
async def test_a_connection_not_signed_by_the_router_is_refused(
    reviews: SubgraphApp, server: str, payload: dict[str, str] | None
) -> None:
    async with connect(f"ws://{server}/graphql", subprotocols=["graphql-transport-ws"]) as ws:
        init: dict[str, Any] = {"type": "connection_init"}
        if payload is not None:
            init["payload"] = payload
        await send(ws, init)
        with pytest.raises(ConnectionClosed) as closed:
            await receive(ws)

    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 4403
