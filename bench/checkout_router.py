"""Completed checkouts (each one a stock reservation) per second through the router.

``python -m bench.checkout_router [--clients 20] [--seconds 10]`` seeds the demo shop, starts the
whole platform (rate limits off: one IP sends everything), gives one variant ("the hot SKU")
plenty of stock as the demo admin, then each client loops over a full guest purchase of that
variant through the router: cartCreate with the line, shipping address, delivery option, email,
checkoutComplete (5 requests). It prints purchases/s, reservations/s and the p50/p95 of the
checkoutComplete call alone, with the time of a bare ``{ __typename }`` through the router in the
same run as the baseline, and the time from checkoutComplete's start until the order's ``paidAt`` (the full purchase path:
orders places it, payments authorizes and captures with the simulator; read after the load, so
no polling competes with it). Add
``--database-url`` (PostgreSQL) for the production wiring.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pyotp

from subgraphs.accounts.services.seed_staff import (
    DEMO_ADMIN_EMAIL,
    DEMO_ADMIN_PASSWORD,
    DEMO_TOTP_SECRET,
)
from subgraphs.launcher import ROOT, Platform

LOGIN = """mutation($i: TokenCreateInput!) { tokenCreate(input: $i) { accessToken userErrors { code } } }"""
VARIANT = "{ products(first: 1) { edges { node { variants { id } } } } }"
WAREHOUSES = "{ warehouses { id } }"
ADJUST = """mutation($i: StockAdjustInput!) { stockAdjust(input: $i) { userErrors { code } } }"""
CREATE = """mutation($v: ID!) { cartCreate(input: {lines: [{merchandiseId: $v, quantity: 1}]})
  { cart { id } userErrors { code } } }"""
ADDRESS = """mutation($c: ID!) { checkoutShippingAddressUpdate(cartId: $c, shippingAddress:
  {firstName: "Ada", lastName: "L", address1: "Unter den Linden 1", city: "Berlin",
   postalCode: "10117", countryCode: "DE"}) { cart { deliveryOptions { id } } userErrors { code } } }"""
METHOD = """mutation($c: ID!, $m: ID!) { checkoutShippingMethodUpdate(cartId: $c, shippingMethodId: $m)
  { userErrors { code } } }"""
EMAIL = """mutation($c: ID!) { checkoutEmailUpdate(cartId: $c, email: "bench@example.com")
  { userErrors { code } } }"""
COMPLETE = """mutation($i: CheckoutCompleteInput!) { checkoutComplete(input: $i)
  { checkout { id order { id } orderToken } userErrors { code } } }"""
ORDER = """query($id: ID!, $t: String) { order(id: $id, token: $t) { status paidAt } }"""


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def _gql(
    client: httpx.AsyncClient, url: str, query: str, variables: dict[str, Any], token: str = ""
) -> dict[str, Any]:
    headers = {"authorization": f"Bearer {token}"} if token else {}
    response = await client.post(
        url, json={"query": query, "variables": variables}, headers=headers
    )
    body: dict[str, Any] = response.json()
    if "errors" in body:
        raise RuntimeError(str(body["errors"])[:300])
    data: dict[str, Any] = body["data"]
    return data


async def _prepare(url: str) -> str:
    async with httpx.AsyncClient(timeout=30) as client:
        login = await _gql(
            client,
            url,
            LOGIN,
            {
                "i": {
                    "email": DEMO_ADMIN_EMAIL,
                    "password": DEMO_ADMIN_PASSWORD,
                    "otp": pyotp.TOTP(DEMO_TOTP_SECRET).now(),
                }
            },
        )
        token: str = login["tokenCreate"]["accessToken"]
        variant: str = (await _gql(client, url, VARIANT, {}))["products"]["edges"][0]["node"][
            "variants"
        ][0]["id"]
        [warehouse] = (await _gql(client, url, WAREHOUSES, {}, token))["warehouses"][:1]
        adjusted = await _gql(
            client,
            url,
            ADJUST,
            {
                "i": {
                    "variantId": variant,
                    "warehouseId": warehouse["id"],
                    "setOnHand": 1_000_000,
                    "reason": "benchmark",
                }
            },
            token,
        )
        assert adjusted["stockAdjust"]["userErrors"] == [], adjusted
    return variant


async def _purchase(
    client: httpx.AsyncClient, url: str, variant: str
) -> tuple[float, float, dict[str, str]]:
    """One guest purchase: the seconds checkoutComplete took, the wall-clock time it started,
    and the order to look up afterwards (id and guest token)."""
    cart = (await _gql(client, url, CREATE, {"v": variant}))["cartCreate"]["cart"]["id"]
    options = (await _gql(client, url, ADDRESS, {"c": cart}))["checkoutShippingAddressUpdate"][
        "cart"
    ]["deliveryOptions"]
    await _gql(client, url, METHOD, {"c": cart, "m": options[0]["id"]})
    await _gql(client, url, EMAIL, {"c": cart})
    wall = time.time()
    started = time.perf_counter()
    done = await _gql(
        client,
        url,
        COMPLETE,
        {
            "i": {
                "cartId": cart,
                "idempotencyKey": str(uuid.uuid4()),
                "payment": {"token": "tok_success"},
            }
        },
    )
    elapsed = time.perf_counter() - started
    if done["checkoutComplete"]["userErrors"]:
        raise RuntimeError(str(done["checkoutComplete"]["userErrors"]))
    checkout = done["checkoutComplete"]["checkout"]
    return elapsed, wall, {"id": checkout["order"]["id"], "t": checkout["orderToken"]}


async def _until_paid(url: str, orders: list[tuple[float, dict[str, str]]]) -> list[float]:
    """Seconds from each checkoutComplete's start to its order's ``paidAt`` (the server's clock,
    the same machine): read once the load is over, so no polling competes with the purchases."""
    latencies: list[float] = []
    async with httpx.AsyncClient(timeout=30) as client:
        for wall, variables in orders:
            for _ in range(600):
                order = (await _gql(client, url, ORDER, variables))["order"]
                if order is not None and order["paidAt"]:
                    paid = datetime.fromisoformat(order["paidAt"]).timestamp()
                    latencies.append(paid - wall)
                    break
                await asyncio.sleep(0.1)
            else:
                raise RuntimeError(f"order {variables['id']} was never paid")
    return latencies


async def _run(
    url: str, variant: str, clients: int, seconds: float
) -> tuple[int, list[float], list[float]]:
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    completes: list[float] = []
    placed: list[tuple[float, dict[str, str]]] = []
    async with httpx.AsyncClient(limits=limits, timeout=60) as client:
        stop_at = time.perf_counter() + seconds

        async def worker() -> None:
            while time.perf_counter() < stop_at:
                complete, wall, order = await _purchase(client, url, variant)
                completes.append(complete)
                placed.append((wall, order))

        await asyncio.gather(*(worker() for _ in range(clients)))
    return len(completes), completes, await _until_paid(url, placed)


async def _baseline(url: str, clients: int, seconds: float) -> float:
    async with httpx.AsyncClient(timeout=30) as client:
        count = 0
        stop_at = time.perf_counter() + seconds

        async def worker() -> None:
            nonlocal count
            while time.perf_counter() < stop_at:
                await client.post(url, json={"query": "{ __typename }"})
                count += 1

        await asyncio.gather(*(worker() for _ in range(clients)))
    return count / seconds


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.checkout_router")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--database-url", default=None, help="PostgreSQL (production wiring)")
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="agora-bench-checkout-"))
    env = {
        "AGORA_DATA_DIR": str(data_dir),
        "AGORA_LOG_LEVEL": "WARNING",
        "AGORA_ENV": "test",
        "AGORA_RATE_LIMIT_PER_USER": "0",
        "AGORA_RATE_LIMIT_PER_OPERATION": "0",
        "AGORA_RATE_LIMIT_GLOBAL": "0",
        "AGORA_RATE_LIMIT_SENSITIVE": "false",
    }
    if args.database_url:
        env |= {
            "AGORA_DATABASE_URL": args.database_url,
            "AGORA_DATABASE_SCHEMA_PREFIX": f"b{uuid.uuid4().hex[:8]}_",
        }
    print(f"seeding the demo shop into {data_dir} …", flush=True)
    subprocess.run(
        [sys.executable, "-m", "subgraphs", "seed", "--products", "30"],
        cwd=ROOT,
        env={**os.environ, **env},
        check=True,
        stdout=subprocess.DEVNULL,
    )
    platform = Platform(env=env, host_port=_free_port(), router_port=_free_port(), log_dir=data_dir)
    try:
        platform.start()
        url = platform.router_url
        variant = asyncio.run(_prepare(url))
        baseline = asyncio.run(_baseline(url, args.clients, min(args.seconds, 5.0)))
        count, completes, paid = asyncio.run(_run(url, variant, args.clients, args.seconds))
    finally:
        platform.stop()
    per_second = count / args.seconds
    completes_ms = sorted(c * 1000 for c in completes)
    paid_ms = sorted(c * 1000 for c in paid)

    def p95_of(values: list[float]) -> float:
        return values[max(0, int(len(values) * 0.95) - 1)] if values else 0.0

    p95 = p95_of(completes_ms)
    print(
        f"\nbaseline {{ __typename }} via the router: {baseline:8.1f} req/s\n"
        f"guest purchases (5 requests each, one hot SKU), {args.clients} clients: "
        f"{per_second:6.1f} purchases/s = {per_second:6.1f} reservations/s "
        f"({per_second * 5:6.1f} router requests/s, {per_second * 5 / baseline:.2f}× the baseline's "
        "request rate)\n"
        f"checkoutComplete alone: p50 {statistics.median(completes_ms):7.1f} ms   "
        f"p95 {p95:7.1f} ms   ({count} completions)\n"
        f"checkoutComplete → order PAID (the saga: orders, payments with the simulator): "
        f"p50 {statistics.median(paid_ms):7.1f} ms   p95 {p95_of(paid_ms):7.1f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
