"""Helpers of the checkout tests: catalog events, shop set-up, GraphQL documents."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from shared.auth import SYSTEM
from shared.bus.memory import InMemoryEventBus
from shared.events import Envelope
from subgraphs.checkout.services import setup
from subgraphs.checkout.uow import CheckoutUnitOfWork
from tests.graphql_client import SubgraphClient

CheckoutUow = Callable[[], CheckoutUnitOfWork]
T0 = datetime(2026, 1, 1, tzinfo=UTC)

CART_FIELDS = """
  id status
  buyerIdentity { email customerId }
  lines { id quantity merchandise { id } sku name unitPrice { amount currencyCode }
          totalPrice { amount } discountAmount { amount } }
  totalQuantity
  discountCodes { code applicable status amount { amount } }
  appliedGiftCards { lastCharacters status amountUsed { amount } }
  cost { subtotalAmount { amount currencyCode } shippingAmount { amount } taxAmount { amount }
         discountAmount { amount } giftCardAmount { amount } totalAmount { amount }
         pricesIncludeTax }
  shippingAddress { countryCode postalCode }
  deliveryOptions { id title amount { amount } }
  selectedDeliveryOption { id title amount { amount } }
  checkoutId
"""
ERRORS = "userErrors { field message code }"

CART_CREATE = f"""
mutation($input: CartInput, $key: String) {{
  cartCreate(input: $input, idempotencyKey: $key) {{ cart {{ {CART_FIELDS} }} {ERRORS} }}
}}"""
CART = f"query($id: ID!) {{ cart(id: $id) {{ {CART_FIELDS} }} }}"
MY_CART = f"query {{ myCart {{ {CART_FIELDS} }} }}"
LINES_ADD = f"""
mutation($cartId: ID!, $lines: [CartLineInput!]!, $key: String) {{
  cartLinesAdd(cartId: $cartId, lines: $lines, idempotencyKey: $key) {{
    cart {{ {CART_FIELDS} }} {ERRORS} }}
}}"""
LINES_UPDATE = f"""
mutation($cartId: ID!, $lines: [CartLineUpdateInput!]!) {{
  cartLinesUpdate(cartId: $cartId, lines: $lines) {{ cart {{ {CART_FIELDS} }} {ERRORS} }}
}}"""
LINES_REMOVE = f"""
mutation($cartId: ID!, $ids: [ID!]!) {{
  cartLinesRemove(cartId: $cartId, lineIds: $ids) {{ cart {{ {CART_FIELDS} }} {ERRORS} }}
}}"""
PROBLEMS = """
query($id: ID!) { cart(id: $id) { problems { code lineId merchandiseId message } } }
"""
ENTITIES = """
query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Cart { id totalQuantity } } }
"""
CUSTOMER_CART = """
query($reps: [_Any!]!) { _entities(representations: $reps) {
  ... on Customer { id cart { id totalQuantity } } } }
"""
IDENTITY = f"""
mutation($cartId: ID!, $email: String) {{
  cartBuyerIdentityUpdate(cartId: $cartId, buyerIdentity: {{email: $email}}) {{
    cart {{ {CART_FIELDS} }} mergedLines {{ merchandiseId quantityAdded quantity }} {ERRORS} }}
}}"""
MERGE = f"""
mutation($id: ID!) {{
  cartMerge(guestCartId: $id) {{
    cart {{ {CART_FIELDS} }} mergedLines {{ merchandiseId quantityAdded quantity }} {ERRORS} }}
}}"""
CODES = f"""
mutation($cartId: ID!, $codes: [String!]!) {{
  cartDiscountCodesUpdate(cartId: $cartId, discountCodes: $codes) {{
    cart {{ {CART_FIELDS} }} {ERRORS} }}
}}"""
GIFT_CARDS = f"""
mutation($cartId: ID!, $codes: [String!]!) {{
  cartGiftCardCodesUpdate(cartId: $cartId, giftCardCodes: $codes) {{
    cart {{ {CART_FIELDS} }} {ERRORS} }}
}}"""
ADDRESS = f"""
mutation($cartId: ID!, $address: MailingAddressInput!) {{
  checkoutShippingAddressUpdate(cartId: $cartId, shippingAddress: $address) {{
    cart {{ {CART_FIELDS} }} {ERRORS} }}
}}"""
METHOD = f"""
mutation($cartId: ID!, $method: ID!) {{
  checkoutShippingMethodUpdate(cartId: $cartId, shippingMethodId: $method) {{
    cart {{ {CART_FIELDS} }} {ERRORS} }}
}}"""
EMAIL = f"""
mutation($cartId: ID!, $email: String!) {{
  checkoutEmailUpdate(cartId: $cartId, email: $email) {{ cart {{ {CART_FIELDS} }} {ERRORS} }}
}}"""
COMPLETE = f"""
mutation($cartId: ID!, $key: String!,
         $payment: CheckoutPaymentInput = {{gateway: "simulator", token: "tok_success"}}) {{
  checkoutComplete(input: {{cartId: $cartId, idempotencyKey: $key, payment: $payment}}) {{
    checkout {{ id email total {{ amount currencyCode }} tax {{ amount }} order {{ id }} orderToken
                lines {{ merchandiseId quantity unitPrice {{ amount }} total {{ amount }} }} }}
    cart {{ id status checkoutId }}
    stockShortages {{ merchandiseId requested available }}
    {ERRORS}
  }}
}}"""
CHECKOUT = "query($id: ID!) { checkout(id: $id) { id email total { amount } } }"

DE_ADDRESS = {
    "firstName": "Ada",
    "lastName": "Lovelace",
    "address1": "Unter den Linden 1",
    "city": "Berlin",
    "postalCode": "10117",
    "countryCode": "DE",
}


@dataclass
class Shop:
    zone_id: str
    flat_id: str
    weight_id: str


def upserted(
    product_id: str,
    variants: list[tuple[str, str, int]],
    *,
    status: str = "PUBLISHED",
    name: str | None = None,
    at: datetime = T0,
) -> Envelope:
    return Envelope(
        type="ProductUpserted",
        source="catalog",
        key=product_id,
        occurred_at=at,
        payload={
            "product_id": product_id,
            "slug": product_id,
            "name": name or product_id.title(),
            "status": status,
            "price_amount": variants[0][1] if variants else "0",
            "currency": "EUR",
            "category_id": None,
            "variants": [
                {
                    "variant_id": vid,
                    "sku": vid.upper(),
                    "name": vid,
                    "price_amount": price,
                    "compare_at_amount": None,
                    "currency": "EUR",
                    "options": {},
                    "weight_grams": grams,
                }
                for vid, price, grams in variants
            ],
            "updated_at": at.isoformat(),
        },
    )


async def publish_product(
    bus: InMemoryEventBus,
    product_id: str,
    variants: list[tuple[str, str, int]],
    **kwargs: Any,
) -> None:
    await bus.publish(upserted(product_id, variants, **kwargs))


async def set_up_shop(uow: CheckoutUow) -> Shop:
    zone = await setup.create_shipping_zone(
        uow, name="EU", countries=["DE", "FR", "NL"], actor=SYSTEM
    )
    flat = await setup.create_shipping_method(
        uow,
        zone_id=zone.id,
        name="Standard",
        currency="EUR",
        flat_amount=Decimal("4.90"),
        free_over=Decimal("100.00"),
        actor=SYSTEM,
    )
    weight = await setup.create_shipping_method(
        uow,
        zone_id=zone.id,
        name="Parcel",
        currency="EUR",
        weight_bands=[
            setup.BandInput(1000, Decimal("5.00")),
            setup.BandInput(5000, Decimal("9.00")),
            setup.BandInput(None, Decimal("15.00")),
        ],
        actor=SYSTEM,
    )
    await setup.set_tax_rate(uow, country="DE", region="", rate=Decimal("0.19"), actor=SYSTEM)
    return Shop(zone_id=zone.id, flat_id=flat.id, weight_id=weight.id)


async def ok(client: SubgraphClient, query: str, variables: dict[str, Any], **kw: Any) -> Any:
    """The single root field's payload of a successful document (no top-level errors)."""
    result = await client.execute(query, variables, **kw)
    assert "errors" not in result, result
    (value,) = result["data"].values()
    return value


async def new_cart(
    client: SubgraphClient, lines: list[tuple[str, int]] | None = None, **kw: Any
) -> dict[str, Any]:
    payload = await ok(
        client,
        CART_CREATE,
        {"input": {"lines": [{"merchandiseId": v, "quantity": q} for v, q in lines or []]}},
        **kw,
    )
    assert payload["userErrors"] == [], payload
    cart: dict[str, Any] = payload["cart"]
    return cart


async def ready_cart(
    client: SubgraphClient, shop: Shop, lines: list[tuple[str, int]], **kw: Any
) -> dict[str, Any]:
    """A cart with lines, email, a DE address and the flat method: ready to complete."""
    cart = await new_cart(client, lines, **kw)
    for query, variables in (
        (EMAIL, {"email": "ada@example.com"}),
        (ADDRESS, {"address": DE_ADDRESS}),
        (METHOD, {"method": shop.flat_id}),
    ):
        payload = await ok(client, query, {"cartId": cart["id"], **variables}, **kw)
        assert payload["userErrors"] == [], payload
        cart = payload["cart"]
    return cart
