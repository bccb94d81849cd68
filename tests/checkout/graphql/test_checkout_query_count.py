"""Carts through ``_entities`` cost the same number of SQL statements for 1 cart as for 12:
every cart, line, variant, code and shipping/tax table comes from one CartViewLoader batch."""

from __future__ import annotations

from shared.app import SubgraphApp
from tests.checkout.support import CODES, Shop, ok, ready_cart
from tests.graphql_client import SubgraphClient
from tests.sql_counting import counting_sql

CARTS = """
query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Cart {
  id lines { sku unitPrice { amount } } cost { totalAmount { amount } taxAmount { amount } }
  discountCodes { code status } deliveryOptions { title } } } }
"""


async def test_cart_entities_cost_a_constant_number_of_statements(
    client: SubgraphClient, checkout: SubgraphApp, shop: Shop
) -> None:
    ids = []
    for i in range(12):
        cart = await ready_cart(client, shop, [("mug", 1 + i), ("shirt-m", 1)])
        await ok(client, CODES, {"cartId": cart["id"], "codes": ["NOPE"]})
        ids.append(cart["id"])
    counted = {}
    for n in (1, 12):
        reps = [{"__typename": "Cart", "id": cart_id} for cart_id in ids[:n]]
        with counting_sql(checkout.infra.database) as statements:
            carts = await ok(client, CARTS, {"reps": reps})
        assert len(carts) == n
        assert all(c is not None for c in carts)
        counted[n] = len(statements)
    assert counted[1] == counted[12]
    assert counted[12] <= 10
    print(f"SQL statements for 1 cart: {counted[1]}, for 12 carts: {counted[12]}")
