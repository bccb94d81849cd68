"""The whole purchase path across the real subgraphs: staff publish a product in the catalog,
the relay carries ProductUpserted to checkout, staff stock it in inventory, a guest buys with a
promotion code, inventory holds the units, CheckoutCompleted is recorded — once per key."""

from __future__ import annotations

from decimal import Decimal

from tests.checkout.support import (
    CART,
    CODES,
    COMPLETE,
    CUSTOMER_CART,
    ENTITIES,
    PROBLEMS,
    new_cart,
    ok,
)
from tests.graphql_client import customer
from tests.integration.support import Shop, outbox_events


async def test_a_guest_buys_what_staff_published_and_stocked(shop: Shop) -> None:
    client = shop.checkout_client
    medium, large = await shop.publish_product("Linen Shirt", ["LS-M", "LS-L"], "20.00")
    warehouse = await shop.warehouse()
    assert (await shop.stock(medium, warehouse, 5))["available"] == 5
    await shop.promotion("WELCOME10", Decimal(10))
    methods = await shop.shipping()
    assert await shop.availability(medium) == {"inStock": True, "quantityAvailable": 5}
    assert await shop.availability(large) == {"inStock": False, "quantityAvailable": 0}

    cart = await new_cart(client, [(medium, 2)])
    assert cart["lines"][0]["sku"] == "LS-M"  # checkout learnt the variant from the event
    assert cart["lines"][0]["unitPrice"] == {"amount": "20.00", "currencyCode": "EUR"}
    assert (await ok(client, PROBLEMS, {"id": cart["id"]}))["problems"] == []
    coded = await ok(client, CODES, {"cartId": cart["id"], "codes": ["welcome10"]})
    assert coded["userErrors"] == []
    assert coded["cart"]["discountCodes"] == [
        {
            "code": "WELCOME10",
            "applicable": True,
            "status": "APPLICABLE",
            "amount": {"amount": "4.00"},
        }
    ]
    cart = await shop.ready_for_payment(cart["id"], methods["flat"])
    cost = cart["cost"]
    # 2 x 20.00 = 40.00, less 10 % = 36.00; VAT 19 % on 36.00 = 6.84, on shipping 4.90 = 0.93
    assert cost["subtotalAmount"] == {"amount": "40.00", "currencyCode": "EUR"}
    assert cost["discountAmount"]["amount"] == "4.00"
    assert cost["shippingAmount"]["amount"] == "4.90"
    assert cost["taxAmount"]["amount"] == "7.77"
    assert cost["totalAmount"]["amount"] == "48.67"

    done = await ok(client, COMPLETE, {"cartId": cart["id"], "key": "order-1"})

    assert done["userErrors"] == []
    assert done["checkout"]["total"] == {"amount": "48.67", "currencyCode": "EUR"}
    assert done["cart"]["status"] == "COMPLETED"
    assert await shop.levels(medium) == {"onHand": 5, "reserved": 2, "available": 3}
    assert await shop.availability(medium) == {"inStock": True, "quantityAvailable": 3}
    (event,) = await outbox_events(shop.checkout, "CheckoutCompleted")
    assert event["checkout_id"] == done["checkout"]["id"]
    assert event["discount_codes"] == ["WELCOME10"]
    assert [(x["variant_id"], x["quantity"]) for x in event["lines"]] == [(medium, 2)]
    (reserved,) = await outbox_events(shop.inventory, "StockReserved")
    assert reserved["reservation_id"] == event["reservation_id"]
    assert reserved["owner"] == f"checkout:{cart['id']}"

    again = await ok(client, COMPLETE, {"cartId": cart["id"], "key": "order-1"})

    assert again["userErrors"] == []
    assert again["checkout"]["id"] == done["checkout"]["id"]
    assert await shop.levels(medium) == {"onHand": 5, "reserved": 2, "available": 3}
    assert len(await outbox_events(shop.checkout, "CheckoutCompleted")) == 1
    assert len(await outbox_events(shop.inventory, "StockReserved")) == 1


async def test_a_buyer_wanting_more_than_is_left_reserves_nothing(shop: Shop) -> None:
    client = shop.checkout_client
    (medium,) = await shop.publish_product("Linen Shirt", ["LS-M"])
    await shop.stock(medium, await shop.warehouse(), 5)
    methods = await shop.shipping()
    first = await new_cart(client, [(medium, 2)])
    await shop.ready_for_payment(first["id"], methods["flat"])
    assert (await ok(client, COMPLETE, {"cartId": first["id"], "key": "a"}))["userErrors"] == []

    second = await new_cart(client, [(medium, 4)])
    await shop.ready_for_payment(second["id"], methods["free"])
    refused = await ok(client, COMPLETE, {"cartId": second["id"], "key": "b"})

    assert refused["checkout"] is None
    assert [e["code"] for e in refused["userErrors"]] == ["INSUFFICIENT_STOCK"]
    assert refused["stockShortages"] == [{"merchandiseId": medium, "requested": 4, "available": 3}]
    assert await shop.levels(medium) == {"onHand": 5, "reserved": 2, "available": 3}
    assert (await ok(client, CART, {"id": second["id"]}))["status"] == "ACTIVE"
    assert len(await outbox_events(shop.checkout, "CheckoutCompleted")) == 1
    assert len(await outbox_events(shop.inventory, "StockReserved")) == 1


async def test_a_customers_cart_is_refused_to_another_customer(shop: Shop) -> None:
    client = shop.checkout_client
    alice, bob = customer("alice"), customer("bob")
    (medium,) = await shop.publish_product("Linen Shirt", ["LS-M"])
    await shop.stock(medium, await shop.warehouse(), 5)
    cart = await new_cart(client, [(medium, 1)], principal=alice)
    reps = {"reps": [{"__typename": "Cart", "id": cart["id"]}]}

    assert await ok(client, ENTITIES, reps, principal=alice) == [
        {"id": cart["id"], "totalQuantity": 1}
    ]
    assert await ok(client, ENTITIES, reps, principal=bob) == [None]
    assert await ok(client, ENTITIES, reps) == [None]
    owner = {"reps": [{"__typename": "Customer", "id": "alice"}]}
    assert (await ok(client, CUSTOMER_CART, owner, principal=bob))[0]["cart"] is None
    assert await ok(client, CART, {"id": cart["id"]}, principal=bob) is None
    refused = await ok(client, COMPLETE, {"cartId": cart["id"], "key": "k"}, principal=bob)
    assert refused["checkout"] is None
    assert refused["userErrors"][0]["code"] == "CART_NOT_FOUND"
    assert await shop.levels(medium) == {"onHand": 5, "reserved": 0, "available": 5}
