"""A guest and a signed-in customer buy from the seeded demo shop through the router: cart,
problems, promo code, shipping, tax and totals, stock reserved — and nobody else sees the cart."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

import httpx

from subgraphs.launcher import Platform
from tests.e2e.conftest import login

VARIANTS = """
{ products(first: 5) { edges { node { name variants { id sku availability { inStock quantityAvailable } } } } } }
"""
CART_FIELDS = """
  id
  lines { id quantity merchandise { id } }
  problems { code merchandiseId }
  discountCodes { code applicable }
  deliveryOptions { id title amount { amount } }
  selectedDeliveryOption { id }
  buyerIdentity { email customerId }
  cost { subtotalAmount { amount currencyCode } shippingAmount { amount } taxAmount { amount }
         discountAmount { amount } totalAmount { amount } pricesIncludeTax }
"""
CART_CREATE = (
    "mutation($input: CartInput) { cartCreate(input: $input) { cart {"
    + CART_FIELDS
    + "} userErrors { field code } } }"
)
CART = "query($id: ID!) { cart(id: $id) {" + CART_FIELDS + "} }"
DISCOUNT = (
    "mutation($id: ID!, $codes: [String!]!) { cartDiscountCodesUpdate(cartId: $id, discountCodes: $codes)"
    " { cart {" + CART_FIELDS + "} userErrors { field code } } }"
)
ADDRESS = (
    "mutation($id: ID!, $a: MailingAddressInput!) { checkoutShippingAddressUpdate(cartId: $id, shippingAddress: $a)"
    " { cart {" + CART_FIELDS + "} userErrors { field code } } }"
)
METHOD = (
    "mutation($id: ID!, $m: ID!) { checkoutShippingMethodUpdate(cartId: $id, shippingMethodId: $m)"
    " { cart {" + CART_FIELDS + "} userErrors { field code } } }"
)
EMAIL = (
    "mutation($id: ID!, $e: String!) { checkoutEmailUpdate(cartId: $id, email: $e)"
    " { cart { id } userErrors { field code } } }"
)
COMPLETE = """
mutation($input: CheckoutCompleteInput!) {
  checkoutComplete(input: $input) {
    checkout { id total { amount currencyCode } }
    stockShortages { merchandiseId requested available }
    userErrors { field code }
  }
}
"""
REGISTER = (
    "mutation($i: AccountRegisterInput!) { accountRegister(input: $i) { userErrors { code } } }"
)
BERLIN = {
    "firstName": "Ada",
    "lastName": "Lovelace",
    "address1": "Unter den Linden 1",
    "city": "Berlin",
    "postalCode": "10117",
    "countryCode": "DE",
}


def gql(
    platform: Platform, query: str, variables: dict[str, Any] | None = None, token: str = ""
) -> dict[str, Any]:
    headers = {"authorization": f"Bearer {token}"} if token else {}
    response = httpx.post(
        platform.router_url,
        json={"query": query, "variables": variables or {}},
        headers=headers,
        timeout=30,
    )
    body: dict[str, Any] = response.json()
    return body


def data(
    platform: Platform, query: str, variables: dict[str, Any] | None = None, token: str = ""
) -> Any:
    body = gql(platform, query, variables, token)
    assert "errors" not in body, body
    return body["data"]


def in_stock_variant(platform: Platform) -> tuple[str, int]:
    products = data(platform, VARIANTS)["products"]["edges"]
    for edge in products:
        for variant in edge["node"]["variants"]:
            if variant["availability"]["inStock"]:
                return variant["id"], variant["availability"]["quantityAvailable"]
    raise AssertionError("the demo shop has stock")


def buy(platform: Platform, token: str = "", email: str = "guest@example.com") -> dict[str, Any]:
    variant_id, available = in_stock_variant(platform)
    created = data(
        platform,
        CART_CREATE,
        {"input": {"lines": [{"merchandiseId": variant_id, "quantity": 2}]}},
        token,
    )["cartCreate"]
    assert created["userErrors"] == []
    cart = created["cart"]
    assert cart["problems"] == []
    discounted = data(platform, DISCOUNT, {"id": cart["id"], "codes": ["WELCOME10"]}, token)
    cart = discounted["cartDiscountCodesUpdate"]["cart"]
    assert cart["discountCodes"] == [{"code": "WELCOME10", "applicable": True}]
    addressed = data(platform, ADDRESS, {"id": cart["id"], "a": BERLIN}, token)
    assert addressed["checkoutShippingAddressUpdate"]["userErrors"] == []
    options = addressed["checkoutShippingAddressUpdate"]["cart"]["deliveryOptions"]
    assert len(options) >= 2
    cheapest = min(options, key=lambda o: Decimal(o["amount"]["amount"]))
    chosen = data(platform, METHOD, {"id": cart["id"], "m": cheapest["id"]}, token)
    cart = chosen["checkoutShippingMethodUpdate"]["cart"]
    emailed = data(platform, EMAIL, {"id": cart["id"], "e": email}, token)
    assert emailed["checkoutEmailUpdate"]["userErrors"] == []
    cost = cart["cost"]
    parts = {k: Decimal(v["amount"]) for k, v in cost.items() if isinstance(v, dict)}
    expected = parts["subtotalAmount"] + parts["shippingAmount"] - parts["discountAmount"]
    if not cost["pricesIncludeTax"]:
        expected += parts["taxAmount"]
    assert parts["discountAmount"] > 0
    assert parts["taxAmount"] > 0
    assert parts["totalAmount"] == expected
    completed = data(
        platform,
        COMPLETE,
        {
            "input": {
                "cartId": cart["id"],
                "idempotencyKey": str(uuid.uuid4()),
                "payment": {"token": "tok_success"},
            }
        },
        token,
    )["checkoutComplete"]
    assert completed["userErrors"] == [], completed
    assert Decimal(completed["checkout"]["total"]["amount"]) == parts["totalAmount"]
    return {"cart": cart, "variant": variant_id, "available_before": available}


def available(platform: Platform, variant_id: str) -> int:
    for edge in data(platform, VARIANTS)["products"]["edges"]:
        for variant in edge["node"]["variants"]:
            if variant["id"] == variant_id:
                quantity: int = variant["availability"]["quantityAvailable"]
                return quantity
    raise AssertionError(f"variant {variant_id} not listed")


def test_a_guest_buys_with_a_promo_code_and_stock_is_reserved(platform: Platform) -> None:
    bought = buy(platform)

    assert available(platform, bought["variant"]) == bought["available_before"] - 2


def test_a_signed_in_customer_buys_and_another_cannot_read_the_cart(platform: Platform) -> None:
    email = f"buyer-{uuid.uuid4().hex[:8]}@example.com"
    other = f"other-{uuid.uuid4().hex[:8]}@example.com"
    for address in (email, other):
        assert data(platform, REGISTER, {"i": {"email": address, "password": "long enough pw"}})
    token = login(platform.router_url, email, "long enough pw")["accessToken"]
    intruder = login(platform.router_url, other, "long enough pw")["accessToken"]

    bought = buy(platform, token, email)
    cart_id = bought["cart"]["id"]

    assert bought["cart"]["buyerIdentity"]["customerId"]
    mine = gql(platform, CART, {"id": cart_id}, token)
    theirs = gql(platform, CART, {"id": cart_id}, intruder)
    anonymous = gql(platform, CART, {"id": cart_id})
    assert mine["data"]["cart"]["id"] == cart_id
    for refused in (theirs, anonymous):
        assert (refused.get("data") or {}).get("cart") is None
