"""Object-level authorization (BOLA): a customer's cart is theirs alone — through queries,
mutations and ``_entities``; a guest cart id is a bearer secret only while the cart is a guest's.
And the guest → customer merge."""

from __future__ import annotations

import pytest

from tests.checkout.support import (
    CART,
    CUSTOMER_CART,
    ENTITIES,
    IDENTITY,
    LINES_ADD,
    MERGE,
    MY_CART,
    new_cart,
    ok,
)
from tests.graphql_client import SubgraphClient, customer

pytestmark = pytest.mark.usefixtures("shop")
ALICE, BOB = customer("alice"), customer("bob")


async def test_a_customers_cart_is_invisible_to_others(client: SubgraphClient) -> None:
    cart = await new_cart(client, [("mug", 1)], principal=ALICE)
    assert cart["buyerIdentity"]["customerId"] == "alice"

    assert (await ok(client, CART, {"id": cart["id"]}, principal=ALICE))["id"] == cart["id"]
    assert await ok(client, CART, {"id": cart["id"]}, principal=BOB) is None
    assert await ok(client, CART, {"id": cart["id"]}) is None  # anonymous with the id


async def test_entities_authorize_like_queries(client: SubgraphClient) -> None:
    cart = await new_cart(client, [("mug", 2)], principal=ALICE)
    reps = {"reps": [{"__typename": "Cart", "id": cart["id"]}]}
    assert (await ok(client, ENTITIES, reps, principal=ALICE)) == [
        {"id": cart["id"], "totalQuantity": 2}
    ]
    assert await ok(client, ENTITIES, reps, principal=BOB) == [None]
    assert await ok(client, ENTITIES, reps) == [None]
    customer_reps = {"reps": [{"__typename": "Customer", "id": "alice"}]}
    assert (await ok(client, CUSTOMER_CART, customer_reps, principal=ALICE))[0]["cart"][
        "id"
    ] == cart["id"]
    assert (await ok(client, CUSTOMER_CART, customer_reps, principal=BOB))[0]["cart"] is None


async def test_nobody_else_can_change_a_customers_cart(client: SubgraphClient) -> None:
    cart = await new_cart(client, [("mug", 1)], principal=ALICE)
    add = {"cartId": cart["id"], "lines": [{"merchandiseId": "mug", "quantity": 1}]}
    for principal in (BOB, None):
        kw = {"principal": principal} if principal else {}
        payload = await ok(client, LINES_ADD, add, **kw)
        assert payload["userErrors"][0]["code"] == "CART_NOT_FOUND"
        merged = await ok(client, MERGE, {"id": cart["id"]}, principal=BOB)
        assert merged["userErrors"][0]["code"] == "CART_NOT_FOUND"
    assert (await ok(client, CART, {"id": cart["id"]}, principal=ALICE))["totalQuantity"] == 1


async def test_a_guest_cart_id_stops_being_a_bearer_secret_once_a_customer_takes_it(
    client: SubgraphClient,
) -> None:
    guest = await new_cart(client, [("mug", 1)])
    assert (await ok(client, CART, {"id": guest["id"]}))["id"] == guest["id"]  # bearer

    taken = await ok(client, IDENTITY, {"cartId": guest["id"], "email": None}, principal=ALICE)
    assert taken["cart"]["id"] == guest["id"]
    assert taken["mergedLines"] == []
    assert await ok(client, CART, {"id": guest["id"]}) is None
    assert await ok(client, CART, {"id": guest["id"]}, principal=BOB) is None
    assert (await ok(client, MY_CART, {}, principal=ALICE))["id"] == guest["id"]


async def test_a_guest_cart_merges_into_the_customers_cart(client: SubgraphClient) -> None:
    mine = await new_cart(client, [("mug", 98), ("shirt-m", 1)], principal=ALICE)
    guest = await new_cart(client, [("mug", 5), ("shirt-l", 2)])

    merged = await ok(client, MERGE, {"id": guest["id"]}, principal=ALICE)

    assert merged["userErrors"] == []
    assert merged["cart"]["id"] == mine["id"]
    quantities = {x["merchandise"]["id"]: x["quantity"] for x in merged["cart"]["lines"]}
    assert quantities == {"mug": 99, "shirt-m": 1, "shirt-l": 2}  # summed, capped at 99
    assert merged["mergedLines"] == [
        {"merchandiseId": "mug", "quantityAdded": 1, "quantity": 99},
        {"merchandiseId": "shirt-l", "quantityAdded": 2, "quantity": 2},
    ]
    old = await ok(client, CART, {"id": guest["id"]})
    assert old["status"] == "MERGED"
    again = await ok(
        client,
        LINES_ADD,
        {"cartId": guest["id"], "lines": [{"merchandiseId": "mug", "quantity": 1}]},
    )
    assert again["userErrors"][0]["code"] == "CART_NOT_ACTIVE"


async def test_a_customer_cart_follows_them_across_devices(client: SubgraphClient) -> None:
    first = await new_cart(client, [("mug", 1)], principal=ALICE)
    second = await new_cart(client, [("shirt-m", 1)], principal=ALICE)  # another device
    assert second["id"] == first["id"]
    assert (await ok(client, MY_CART, {}, principal=ALICE))["totalQuantity"] == 2
    assert await ok(client, MY_CART, {}) is None
