"""The whole purchase path through the router, on the real platform: register → log in → search →
cart → checkout → pay with the simulator → the order PAID with its history, followed to delivery
and a refund; insufficient stock; a declined card (stock back, cart reopened, a retry pays); and
the crash test — the subgraph host killed in the middle of checkouts, restarted, the same
idempotency key retried: no lost paid order, no double charge."""

from __future__ import annotations

import asyncio
import contextlib
import random
import threading
import time
import uuid
from decimal import Decimal
from typing import Any

import httpx
from sqlalchemy import func, select

from shared.db import Database
from shared.settings import load_settings
from subgraphs.launcher import Platform
from subgraphs.payments.domain.models import simulator_operations
from tests.e2e.conftest import login
from tests.e2e.test_checkout_through_router import (
    ADDRESS,
    BERLIN,
    CART,
    CART_CREATE,
    EMAIL,
    METHOD,
    REGISTER,
    available,
    data,
    gql,
    in_stock_variant,
)

SEARCH = """query($q: String!) { search(query: $q, first: 5) { totalCount
  edges { node { id name variants { id availability { inStock quantityAvailable } } } } } }"""
COMPLETE = """mutation($input: CheckoutCompleteInput!) { checkoutComplete(input: $input) {
  checkout { id order { id } orderToken total { amount } }
  stockShortages { merchandiseId requested available }
  userErrors { field code } } }"""
ORDER = """query($id: ID!, $token: String) { order(id: $id, token: $token) {
  id number status paymentStatus total { amount } paid { amount } refunded { amount }
  paymentFailure { code message } cancelReason
  fulfillments { id status trackingNumber }
  payments { status captured { amount } refunded { amount } } } }"""
STAFF_ORDER = """query($id: ID!) { order(id: $id) { status paymentStatus
  history { type actor } fulfillments { id status trackingNumber } } }"""
FULFIL = """mutation($id: ID!) { fulfillmentCreate(orderId: $id) {
  order { fulfillments { id status } } userErrors { code } } }"""
SHIP = """mutation($id: ID!, $f: ID!) { fulfillmentShip(orderId: $id, fulfillmentId: $f) {
  order { status } userErrors { code } } }"""
DELIVER = """mutation($id: ID!, $f: ID!) { fulfillmentDeliver(orderId: $id, fulfillmentId: $f) {
  order { status } userErrors { code } } }"""
REFUND = """mutation($id: ID!, $a: String!, $k: String) { orderRefund(orderId: $id, amount: $a,
  reason: "scratched", idempotencyKey: $k) { order { id } userErrors { code } } }"""


def ready_cart(platform: Platform, variant_id: str, quantity: int, token: str = "") -> str:
    created = data(
        platform,
        CART_CREATE,
        {"input": {"lines": [{"merchandiseId": variant_id, "quantity": quantity}]}},
        token,
    )["cartCreate"]
    assert created["userErrors"] == [], created
    cart_id: str = created["cart"]["id"]
    addressed = data(platform, ADDRESS, {"id": cart_id, "a": BERLIN}, token)
    options = addressed["checkoutShippingAddressUpdate"]["cart"]["deliveryOptions"]
    cheapest = min(options, key=lambda o: Decimal(o["amount"]["amount"]))
    data(platform, METHOD, {"id": cart_id, "m": cheapest["id"]}, token)
    data(platform, EMAIL, {"id": cart_id, "e": "shopper@example.com"}, token)
    return cart_id


def complete(
    platform: Platform, cart_id: str, key: str, card: str = "tok_success", token: str = ""
) -> dict[str, Any]:
    payload: dict[str, Any] = data(
        platform,
        COMPLETE,
        {"input": {"cartId": cart_id, "idempotencyKey": key, "payment": {"token": card}}},
        token,
    )["checkoutComplete"]
    return payload


def wait_order(
    platform: Platform,
    order_id: str,
    *,
    token: str = "",
    order_token: str | None = None,
    until: set[str],
    timeout: float = 30.0,
) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    seen: dict[str, Any] | None = None
    while time.monotonic() < deadline:
        body = gql(platform, ORDER, {"id": order_id, "token": order_token}, token)
        seen = (body.get("data") or {}).get("order")
        if seen is not None and seen["status"] in until:
            return seen
        time.sleep(0.1)
    raise AssertionError(f"order {order_id} never reached {until}: {seen}")


def staff_header(staff: dict[str, str]) -> str:
    return staff["authorization"].removeprefix("Bearer ")


def test_a_customer_buys_pays_and_follows_the_order_to_delivery_and_a_refund(
    platform: Platform, staff: dict[str, str]
) -> None:
    email = f"ada-{uuid.uuid4().hex[:8]}@example.com"
    data(platform, REGISTER, {"i": {"email": email, "password": "long enough pw"}})
    token = login(platform.router_url, email, "long enough pw")["accessToken"]
    found = data(platform, SEARCH, {"q": "tee"}, token)["search"]
    assert found["totalCount"] > 0
    variant_id, stock_before = in_stock_variant(platform)

    cart_id = ready_cart(platform, variant_id, 1, token)
    done = complete(platform, cart_id, str(uuid.uuid4()), token=token)
    assert done["userErrors"] == [], done
    order_id = done["checkout"]["order"]["id"]

    order = wait_order(platform, order_id, token=token, until={"PAID"})
    assert order["paymentStatus"] == "PAID"
    assert (
        order["paid"]["amount"] == order["total"]["amount"] == done["checkout"]["total"]["amount"]
    )
    assert order["payments"][0]["status"] == "CAPTURED"
    assert available(platform, variant_id) == stock_before - 1  # committed, not only held

    boss = staff_header(staff)
    history = data(platform, STAFF_ORDER, {"id": order_id}, boss)["order"]["history"]
    types = [h["type"] for h in history]
    assert types[:3] == ["OrderPlaced", "PaymentAuthorized", "OrderPaid"]
    deadline = time.monotonic() + 10
    while "StockCommitted" not in types and time.monotonic() < deadline:
        time.sleep(0.1)
        history = data(platform, STAFF_ORDER, {"id": order_id}, boss)["order"]["history"]
        types = [h["type"] for h in history]
    assert "StockCommitted" in types

    shipments = data(platform, FULFIL, {"id": order_id}, boss)["fulfillmentCreate"]
    for shipment in shipments["order"]["fulfillments"]:
        data(platform, SHIP, {"id": order_id, "f": shipment["id"]}, boss)
        delivered = data(platform, DELIVER, {"id": order_id, "f": shipment["id"]}, boss)
    assert delivered["fulfillmentDeliver"]["order"]["status"] == "DELIVERED"
    mine = wait_order(platform, order_id, token=token, until={"DELIVERED"})
    assert mine["fulfillments"][0]["trackingNumber"]

    refund = data(platform, REFUND, {"id": order_id, "a": "1.00", "k": str(uuid.uuid4())}, boss)
    assert refund["orderRefund"]["userErrors"] == []
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        mine = wait_order(platform, order_id, token=token, until={"DELIVERED"})
        if mine["paymentStatus"] == "PARTIALLY_REFUNDED":
            break
        time.sleep(0.1)
    assert mine["refunded"]["amount"] == "1.00"
    assert mine["payments"][0]["refunded"]["amount"] == "1.00"
    assert gql(platform, ORDER, {"id": order_id})["data"]["order"] is None  # nobody else


def test_insufficient_stock_is_told_before_any_payment(platform: Platform) -> None:
    variant_id, stock = in_stock_variant(platform)
    assert stock + 1 <= 99  # the demo shop stocks 10 to 50 units: one more fits in a line
    cart_id = ready_cart(platform, variant_id, stock + 1)
    refused = complete(platform, cart_id, str(uuid.uuid4()))
    assert refused["userErrors"][0]["code"] == "INSUFFICIENT_STOCK"
    assert refused["checkout"] is None
    assert refused["stockShortages"][0]["available"] == stock


def test_a_declined_card_cancels_restores_stock_and_the_retry_pays(platform: Platform) -> None:
    variant_id, stock_before = in_stock_variant(platform)
    cart_id = ready_cart(platform, variant_id, 1)
    first = complete(platform, cart_id, str(uuid.uuid4()), card="tok_decline")
    assert first["userErrors"] == []
    failed = wait_order(
        platform,
        first["checkout"]["order"]["id"],
        order_token=first["checkout"]["orderToken"],
        until={"CANCELLED"},
    )
    assert failed["paymentFailure"]["code"] == "DECLINED"
    assert failed["cancelReason"] == "PAYMENT_FAILED"
    deadline = time.monotonic() + 10
    while available(platform, variant_id) != stock_before and time.monotonic() < deadline:
        time.sleep(0.1)
    assert available(platform, variant_id) == stock_before  # the reservation was released
    assert data(platform, CART, {"id": cart_id})["cart"]["id"] == cart_id  # the cart is back

    second = complete(platform, cart_id, str(uuid.uuid4()), card="tok_success")
    assert second["userErrors"] == [], second
    assert second["checkout"]["order"]["id"] != first["checkout"]["order"]["id"]
    paid = wait_order(
        platform,
        second["checkout"]["order"]["id"],
        order_token=second["checkout"]["orderToken"],
        until={"PAID"},
    )
    assert paid["paymentStatus"] == "PAID"


async def _captures(platform: Platform) -> dict[str, int]:
    database = Database(load_settings(dict(platform.env)).database_for("payments"))
    try:
        async with database.session() as session:
            rows = await session.execute(
                select(simulator_operations.c.reference, func.count())
                .where(
                    simulator_operations.c.operation == "capture",
                    simulator_operations.c.outcome == "captured",
                )
                .group_by(simulator_operations.c.reference)
            )
            return {str(r): int(n) for r, n in rows.all()}
    finally:
        await database.dispose()


def test_a_crash_mid_checkout_loses_no_paid_order_and_charges_once(platform: Platform) -> None:
    rng = random.Random(7)
    orders: list[tuple[str, str]] = []
    for _ in range(3):
        variant_id, _stock = in_stock_variant(platform)
        cart_id = ready_cart(platform, variant_id, 1)
        key = str(uuid.uuid4())

        def attempt(cart: str = cart_id, k: str = key) -> None:
            with contextlib.suppress(httpx.HTTPError):  # the host died under it: the point
                httpx.post(
                    platform.router_url,
                    json={
                        "query": COMPLETE,
                        "variables": {
                            "input": {
                                "cartId": cart,
                                "idempotencyKey": k,
                                "payment": {"token": "tok_success"},
                            }
                        },
                    },
                    timeout=10,
                )

        thread = threading.Thread(target=attempt)
        thread.start()
        time.sleep(rng.uniform(0.0, 0.25))
        platform.kill("subgraphs")
        thread.join()
        platform.restart_subgraphs()

        deadline = time.monotonic() + 60
        result: dict[str, Any] = {}
        while time.monotonic() < deadline:
            body = gql(
                platform,
                COMPLETE,
                {
                    "input": {
                        "cartId": cart_id,
                        "idempotencyKey": key,
                        "payment": {"token": "tok_success"},
                    }
                },
            )
            result = (body.get("data") or {}).get("checkoutComplete") or {}
            codes = [e["code"] for e in result.get("userErrors", [])]
            if result.get("checkout"):
                break
            assert codes in (["CHECKOUT_IN_PROGRESS"], ["SERVICE_UNAVAILABLE"]), body
            time.sleep(0.5)
        assert result.get("checkout"), result
        orders.append((result["checkout"]["order"]["id"], result["checkout"]["orderToken"]))

    for order_id, order_token in orders:
        paid = wait_order(platform, order_id, order_token=order_token, until={"PAID"}, timeout=60)
        assert paid["payments"] == [] or paid["paymentStatus"] == "PAID"
    captures = asyncio.run(_captures(platform))
    assert all(n == 1 for n in captures.values()), captures  # nobody charged twice
