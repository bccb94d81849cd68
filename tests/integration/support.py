"""Helpers of the cross-subgraph tests: the three real apps with signed GraphQL clients, the
relay drained, and staff set-up done through each subgraph's own GraphQL."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from shared.app import SubgraphApp
from shared.auth import Principal
from shared.events import loads
from tests.checkout.support import ADDRESS, EMAIL, METHOD, ok
from tests.graphql_client import STAFF, SubgraphClient

PRODUCT_CREATE = """
mutation($input: ProductCreateInput!) {
  productCreate(input: $input) {
    product { id status variants { id sku } } userErrors { field message code } }
}"""
PRODUCT_PUBLISH = """
mutation($id: ID!) { productPublish(input: {id: $id}) {
  product { id status } userErrors { field message code } } }"""
WAREHOUSE_CREATE = """
mutation($input: WarehouseCreateInput!) { warehouseCreate(input: $input) {
  warehouse { id code } userErrors { field message code } } }"""
STOCK_ADJUST = """
mutation($input: StockAdjustInput!, $key: String) {
  stockAdjust(input: $input, idempotencyKey: $key) {
    stockLevel { variantId onHand reserved available } userErrors { field message code } } }"""
STOCK_LEVELS = """
query($ids: [ID!]!) { stockLevels(variantIds: $ids) { variantId onHand reserved available } }"""
AVAILABILITY = """
query($reps: [_Any!]!) { _entities(representations: $reps) {
  ... on ProductVariant { id availability { inStock quantityAvailable } } } }"""
ZONE_CREATE = """
mutation($name: String!, $countries: [String!]!) { shippingZoneCreate(name: $name,
  countries: $countries) { shippingZone { id countries } userErrors { field message code } } }"""
METHOD_CREATE = """
mutation($input: ShippingMethodCreateInput!) { shippingMethodCreate(input: $input) {
  shippingMethod { id name } userErrors { field message code } } }"""
TAX_RATE_SET = """
mutation($country: String!, $rate: Decimal!) { taxRateSet(country: $country, rate: $rate) {
  taxRate { country rate } userErrors { field message code } } }"""
PROMOTION_CREATE = """
mutation($input: PromotionCreateInput!) { promotionCreate(input: $input) {
  promotion { id code usedCount } userErrors { field message code } } }"""

DE_ADDRESS = {
    "firstName": "Ada",
    "lastName": "Lovelace",
    "address1": "Unter den Linden 1",
    "city": "Berlin",
    "postalCode": "10117",
    "countryCode": "DE",
}


async def drain(*apps: SubgraphApp) -> int:
    """Relay every outbox until nothing is left; the in-memory bus runs the consumers."""
    moved = 0
    while batch := sum([await app.infra.relay.run_once() for app in apps]):
        moved += batch
    return moved


async def outbox_events(app: SubgraphApp, event_type: str) -> list[dict[str, Any]]:
    table = app.infra.tables.outbox
    async with app.infra.database.session() as session:
        rows = (await session.execute(select(table.c.event_type, table.c.payload))).all()
    return [loads(payload) for kind, payload in rows if kind == event_type]


async def staff_ok(client: SubgraphClient, query: str, variables: dict[str, Any]) -> Any:
    """A staff mutation's payload, asserted free of errors."""
    payload = await ok(client, query, variables, principal=STAFF)
    assert payload["userErrors"] == [], payload
    return payload


@dataclass
class Shop:
    """The three real subgraphs and a signed GraphQL client of each."""

    catalog: SubgraphApp
    inventory: SubgraphApp
    checkout: SubgraphApp
    catalog_client: SubgraphClient = field(init=False)
    inventory_client: SubgraphClient = field(init=False)
    checkout_client: SubgraphClient = field(init=False)

    def __post_init__(self) -> None:
        self.catalog_client = SubgraphClient(self.catalog)
        self.inventory_client = SubgraphClient(self.inventory)
        self.checkout_client = SubgraphClient(self.checkout)

    async def aclose(self) -> None:
        for client in (self.catalog_client, self.inventory_client, self.checkout_client):
            await client.aclose()

    async def drain(self) -> int:
        return await drain(self.catalog, self.inventory, self.checkout)

    async def publish_product(self, name: str, skus: list[str], price: str = "20.00") -> list[str]:
        """A product created as a draft and published by staff in the catalog; its events
        relayed. The variants' ids, in ``skus`` order."""
        created = await staff_ok(
            self.catalog_client,
            PRODUCT_CREATE,
            {
                "input": {
                    "name": name,
                    "price": {"amount": price, "currencyCode": "EUR"},
                    "variants": [
                        {
                            "sku": sku,
                            "options": [{"name": "size", "value": sku}],
                            "weightGrams": 300,
                        }
                        for sku in skus
                    ],
                }
            },
        )
        product = created["product"]
        assert product["status"] == "DRAFT"
        published = await staff_ok(self.catalog_client, PRODUCT_PUBLISH, {"id": product["id"]})
        assert published["product"]["status"] == "PUBLISHED"
        await self.drain()
        by_sku = {v["sku"]: v["id"] for v in product["variants"]}
        return [by_sku[sku] for sku in skus]

    async def warehouse(self, code: str = "BER-1") -> str:
        payload = await staff_ok(
            self.inventory_client,
            WAREHOUSE_CREATE,
            {"input": {"code": code, "name": f"Warehouse {code}"}},
        )
        return str(payload["warehouse"]["id"])

    async def stock(self, variant_id: str, warehouse_id: str, on_hand: int) -> dict[str, Any]:
        payload = await staff_ok(
            self.inventory_client,
            STOCK_ADJUST,
            {
                "input": {
                    "variantId": variant_id,
                    "warehouseId": warehouse_id,
                    "setOnHand": on_hand,
                    "reason": "received",
                }
            },
        )
        level: dict[str, Any] = payload["stockLevel"]
        return level

    async def levels(self, variant_id: str) -> dict[str, int]:
        """``onHand``, ``reserved`` and ``available`` summed over warehouses (staff view)."""
        rows = await ok(self.inventory_client, STOCK_LEVELS, {"ids": [variant_id]}, principal=STAFF)
        return {k: sum(r[k] for r in rows) for k in ("onHand", "reserved", "available")}

    async def availability(self, variant_id: str) -> dict[str, Any]:
        """``ProductVariant.availability`` as the router asks for it (anyone may)."""
        reps = {"reps": [{"__typename": "ProductVariant", "id": variant_id}]}
        (entity,) = await ok(self.inventory_client, AVAILABILITY, reps)
        value: dict[str, Any] = entity["availability"]
        return value

    async def shipping(self) -> dict[str, str]:
        """A zone for DE/FR/NL, a flat 4.90 method and one free over 50.00, 19 % VAT in DE."""
        zone = await staff_ok(
            self.checkout_client, ZONE_CREATE, {"name": "EU", "countries": ["DE", "FR", "NL"]}
        )
        zone_id = zone["shippingZone"]["id"]
        flat = await staff_ok(
            self.checkout_client,
            METHOD_CREATE,
            {
                "input": {
                    "zoneId": zone_id,
                    "name": "Standard",
                    "currency": "EUR",
                    "flatAmount": "4.90",
                }
            },
        )
        free = await staff_ok(
            self.checkout_client,
            METHOD_CREATE,
            {
                "input": {
                    "zoneId": zone_id,
                    "name": "Express, free over 50",
                    "currency": "EUR",
                    "flatAmount": "9.90",
                    "freeOver": "50.00",
                }
            },
        )
        await staff_ok(self.checkout_client, TAX_RATE_SET, {"country": "DE", "rate": "0.19"})
        return {
            "flat": flat["shippingMethod"]["id"],
            "free": free["shippingMethod"]["id"],
        }

    async def promotion(self, code: str, percent: Decimal) -> dict[str, Any]:
        payload = await staff_ok(
            self.checkout_client,
            PROMOTION_CREATE,
            {"input": {"code": code, "kind": "PERCENTAGE", "value": str(percent)}},
        )
        promotion: dict[str, Any] = payload["promotion"]
        return promotion

    async def ready_for_payment(
        self, cart_id: str, method_id: str, *, principal: Principal | None = None
    ) -> dict[str, Any]:
        """Email, a DE address and a shipping method set on the cart: the cart after that."""
        kw = {"principal": principal} if principal else {}
        cart: dict[str, Any] = {}
        for query, variables in (
            (EMAIL, {"email": "ada@example.com"}),
            (ADDRESS, {"address": DE_ADDRESS}),
            (METHOD, {"method": method_id}),
        ):
            payload = await ok(self.checkout_client, query, {"cartId": cart_id, **variables}, **kw)
            assert payload["userErrors"] == [], payload
            cart = payload["cart"]
        return cart
