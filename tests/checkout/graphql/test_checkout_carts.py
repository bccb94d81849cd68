"""Carts through GraphQL: create, add, update, remove, limits, problems, expiry of access."""

from __future__ import annotations

import pytest

from shared.bus.memory import InMemoryEventBus
from tests.checkout.fake_inventory import FakeInventory
from tests.checkout.support import (
    CART,
    LINES_ADD,
    LINES_REMOVE,
    LINES_UPDATE,
    PROBLEMS,
    Shop,
    new_cart,
    ok,
    publish_product,
)
from tests.graphql_client import SubgraphClient

pytestmark = pytest.mark.usefixtures("shop")


async def test_a_cart_is_created_with_lines_and_priced(client: SubgraphClient) -> None:
    cart = await new_cart(client, [("shirt-m", 2), ("mug", 1)])

    assert len(cart["id"]) >= 32  # ≥ 192 random bits, URL-safe
    assert cart["status"] == "ACTIVE"
    assert cart["totalQuantity"] == 3
    assert [(x["merchandise"]["id"], x["quantity"]) for x in cart["lines"]] == [
        ("shirt-m", 2),
        ("mug", 1),
    ]
    assert cart["cost"]["subtotalAmount"] == {"amount": "48.50", "currencyCode": "EUR"}
    assert cart["cost"]["totalAmount"]["amount"] == "48.50"  # no address yet: no tax, shipping


async def test_adding_a_variant_twice_sums_the_quantity(client: SubgraphClient) -> None:
    cart = await new_cart(client, [("mug", 2)])
    payload = await ok(
        client,
        LINES_ADD,
        {"cartId": cart["id"], "lines": [{"merchandiseId": "mug", "quantity": 3}]},
    )
    assert payload["userErrors"] == []
    assert [x["quantity"] for x in payload["cart"]["lines"]] == [5]


async def test_quantity_above_the_limit_is_refused(client: SubgraphClient) -> None:
    cart = await new_cart(client, [("mug", 98)])
    payload = await ok(
        client,
        LINES_ADD,
        {"cartId": cart["id"], "lines": [{"merchandiseId": "mug", "quantity": 2}]},
    )
    assert payload["cart"] is None
    assert payload["userErrors"][0]["code"] == "MAXIMUM_QUANTITY_EXCEEDED"
    assert payload["userErrors"][0]["field"] == ["lines", "0", "quantity"]
    again = await ok(client, CART, {"id": cart["id"]})
    assert again["totalQuantity"] == 98  # nothing changed


@pytest.mark.parametrize("quantity", [0, -1])
async def test_a_non_positive_quantity_is_invalid(client: SubgraphClient, quantity: int) -> None:
    cart = await new_cart(client)
    payload = await ok(
        client,
        LINES_ADD,
        {"cartId": cart["id"], "lines": [{"merchandiseId": "mug", "quantity": quantity}]},
    )
    assert payload["userErrors"][0]["code"] == "INVALID"


async def test_an_unknown_variant_is_refused(client: SubgraphClient) -> None:
    cart = await new_cart(client)
    payload = await ok(
        client,
        LINES_ADD,
        {"cartId": cart["id"], "lines": [{"merchandiseId": "nope", "quantity": 1}]},
    )
    assert payload["userErrors"] == [
        {
            "field": ["lines", "0", "merchandiseId"],
            "message": "This product cannot be bought.",
            "code": "INVALID_MERCHANDISE_LINE",
        }
    ]


async def test_lines_per_cart_are_limited(
    client: SubgraphClient, bus: InMemoryEventBus, monkeypatch: pytest.MonkeyPatch
) -> None:
    from subgraphs.checkout.services import cart_changes

    monkeypatch.setattr(cart_changes, "MAX_LINES_PER_CART", 2)
    cart = await new_cart(client, [("shirt-m", 1), ("shirt-l", 1)])
    payload = await ok(
        client,
        LINES_ADD,
        {"cartId": cart["id"], "lines": [{"merchandiseId": "mug", "quantity": 1}]},
    )
    assert payload["userErrors"][0]["code"] == "MAXIMUM_LINES_EXCEEDED"


async def test_lines_are_updated_and_removed(client: SubgraphClient) -> None:
    cart = await new_cart(client, [("shirt-m", 1), ("mug", 1)])
    shirt, mug = (x["id"] for x in cart["lines"])
    updated = await ok(
        client, LINES_UPDATE, {"cartId": cart["id"], "lines": [{"id": shirt, "quantity": 4}]}
    )
    assert [x["quantity"] for x in updated["cart"]["lines"]] == [4, 1]
    removed = await ok(client, LINES_REMOVE, {"cartId": cart["id"], "ids": [mug]})
    assert [x["merchandise"]["id"] for x in removed["cart"]["lines"]] == ["shirt-m"]
    zeroed = await ok(
        client, LINES_UPDATE, {"cartId": cart["id"], "lines": [{"id": shirt, "quantity": 0}]}
    )
    assert zeroed["cart"]["lines"] == []
    missing = await ok(
        client, LINES_UPDATE, {"cartId": cart["id"], "lines": [{"id": "nope", "quantity": 1}]}
    )
    assert missing["userErrors"][0]["code"] == "LINE_NOT_FOUND"


async def test_cart_create_with_an_idempotency_key_creates_one_cart(
    client: SubgraphClient,
) -> None:
    from tests.checkout.support import CART_CREATE

    variables = {"input": {"lines": [{"merchandiseId": "mug", "quantity": 1}]}, "key": "k-1"}
    first = await ok(client, CART_CREATE, variables)
    second = await ok(client, CART_CREATE, variables)
    assert first["cart"]["id"] == second["cart"]["id"]
    other = await ok(client, CART_CREATE, {**variables, "input": {}})
    assert other["userErrors"][0]["code"] == "IDEMPOTENCY_KEY_REUSED"


async def test_problems_report_stock_price_and_availability(
    client: SubgraphClient, bus: InMemoryEventBus, inventory: FakeInventory, shop: Shop
) -> None:
    from datetime import timedelta

    from tests.checkout.support import T0

    cart = await new_cart(client, [("shirt-m", 3), ("shirt-l", 1), ("mug", 1)])
    inventory.stock["shirt-m"] = 2
    inventory.stock["shirt-l"] = 0
    await publish_product(bus, "mug", [("mug", "9.00", 500)], at=T0 + timedelta(hours=1))

    problems = (await ok(client, PROBLEMS, {"id": cart["id"]}))["problems"]
    found = {(p["merchandiseId"], p["code"]) for p in problems}
    assert found == {
        ("shirt-m", "INSUFFICIENT_STOCK"),
        ("shirt-l", "OUT_OF_STOCK"),
        ("mug", "PRICE_CHANGED"),
    }
    await publish_product(
        bus, "mug", [("mug", "9.00", 500)], status="DRAFT", at=T0 + timedelta(hours=2)
    )
    problems = (await ok(client, PROBLEMS, {"id": cart["id"]}))["problems"]
    assert ("mug", "PRODUCT_UNAVAILABLE") in {(p["merchandiseId"], p["code"]) for p in problems}
    priced = await ok(client, CART, {"id": cart["id"]})
    assert priced["cost"]["subtotalAmount"]["amount"] == "80.00"  # the withdrawn mug is not charged


async def test_problems_without_inventory_still_list_what_is_known(
    client: SubgraphClient, inventory: FakeInventory
) -> None:
    cart = await new_cart(client, [("mug", 1)])
    inventory.fail_next = 100
    result = await client.execute(PROBLEMS, {"id": cart["id"]})
    assert result["data"]["cart"]["problems"] == []
