"""checkoutComplete: stock reserved first (all or nothing), totals, the CheckoutCompleted event,
idempotency (replays, reused keys, concurrent duplicates), promotions and gift cards consumed
exactly once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from shared.app import SubgraphApp
from shared.auth import SYSTEM
from subgraphs.checkout.domain.models import GiftCard, Promotion
from subgraphs.checkout.domain.pricing import PromotionKind
from subgraphs.checkout.services import setup
from tests.checkout.fake_inventory import FakeInventory
from tests.checkout.support import (
    ADDRESS,
    CART,
    CHECKOUT,
    CODES,
    COMPLETE,
    GIFT_CARDS,
    LINES_ADD,
    CheckoutUow,
    Shop,
    ok,
    ready_cart,
)
from tests.graphql_client import SubgraphClient, customer


async def outbox(app: SubgraphApp) -> list[dict[str, Any]]:
    from shared.events import loads

    table = app.infra.tables.outbox
    async with app.infra.database.session() as session:
        rows = (await session.execute(select(table.c.event_type, table.c.payload))).all()
    return [loads(p) for t, p in rows if t == "CheckoutCompleted"]


async def test_completion_reserves_stock_and_publishes_the_totals(
    client: SubgraphClient, checkout: SubgraphApp, inventory: FakeInventory, shop: Shop
) -> None:
    cart = await ready_cart(client, shop, [("shirt-m", 2), ("mug", 1)])
    cost = cart["cost"]
    # 40.00 + 8.50 = 48.50; shipping 4.90; VAT 19 % per line: 7.60 + 1.615→1.62 (half-even
    # on 1.615 gives 1.62) + 0.931→0.93 = 10.15; total 48.50 + 4.90 + 10.15 = 63.55
    assert cost["subtotalAmount"]["amount"] == "48.50"
    assert cost["shippingAmount"]["amount"] == "4.90"
    assert cost["taxAmount"]["amount"] == "10.15"
    assert cost["totalAmount"]["amount"] == "63.55"

    payload = await ok(client, COMPLETE, {"cartId": cart["id"], "key": "order-1"})

    assert payload["userErrors"] == []
    assert payload["checkout"]["total"] == {"amount": "63.55", "currencyCode": "EUR"}
    assert payload["cart"]["status"] == "COMPLETED"
    assert payload["cart"]["checkoutId"] == payload["checkout"]["id"]
    (reservation,) = inventory.reservations.values()
    assert reservation["status"] == "RESERVED"
    assert {x["variant_id"]: x["quantity"] for x in reservation["lines"]} == {
        "shirt-m": 2,
        "mug": 1,
    }
    assert set(inventory.callers) == {"service:checkout"}  # signed as the checkout service
    (event,) = await outbox(checkout)
    assert event["checkout_id"] == payload["checkout"]["id"]
    assert event["reservation_id"] == reservation["reservation_id"]
    assert (event["total"], event["tax"], event["shipping_amount"]) == ("63.55", "10.15", "4.90")
    assert event["email"] == "ada@example.com"
    assert event["lines"][0] | {} == {
        "variant_id": "shirt-m",
        "sku": "SHIRT-M",
        "name": "Shirt — shirt-m",
        "quantity": 2,
        "unit_price": "20.00",
        "total": "40.00",
        "discount": "0.00",
    }
    seen = await ok(client, CHECKOUT, {"id": payload["checkout"]["id"]})
    assert seen["total"]["amount"] == "63.55"
    changed = await ok(
        client,
        LINES_ADD,
        {"cartId": cart["id"], "lines": [{"merchandiseId": "mug", "quantity": 1}]},
    )
    assert changed["userErrors"][0]["code"] == "CART_NOT_ACTIVE"


async def test_same_key_replays_other_input_is_refused(
    client: SubgraphClient, checkout: SubgraphApp, inventory: FakeInventory, shop: Shop
) -> None:
    cart = await ready_cart(client, shop, [("mug", 1)])
    first = await ok(client, COMPLETE, {"cartId": cart["id"], "key": "k"})
    again = await ok(client, COMPLETE, {"cartId": cart["id"], "key": "k"})
    assert again["checkout"]["id"] == first["checkout"]["id"]
    other_cart = await ready_cart(client, shop, [("mug", 1)])
    reused = await ok(client, COMPLETE, {"cartId": other_cart["id"], "key": "k"})
    assert reused["userErrors"][0]["code"] == "IDEMPOTENCY_KEY_REUSED"
    assert len(await outbox(checkout)) == 1
    assert len(inventory.reservations) == 1


@pytest.mark.parametrize("same_key", [True, False])
async def test_concurrent_duplicates_complete_once(
    client: SubgraphClient,
    checkout: SubgraphApp,
    inventory: FakeInventory,
    shop: Shop,
    same_key: bool,
) -> None:
    cart = await ready_cart(client, shop, [("mug", 1)])
    results = await asyncio.gather(
        *(
            client.execute(COMPLETE, {"cartId": cart["id"], "key": "dup" if same_key else f"k{i}"})
            for i in range(8)
        )
    )
    payloads = [r["data"]["checkoutComplete"] for r in results]
    done = {p["checkout"]["id"] for p in payloads if p["checkout"]}
    assert len(done) == 1
    refused = {e["code"] for p in payloads for e in p["userErrors"]}
    assert refused <= {"CHECKOUT_IN_PROGRESS", "CART_NOT_ACTIVE"}
    assert len(await outbox(checkout)) == 1
    assert inventory.reserved("mug") == 1
    if same_key:  # a retry after the race gets the one result
        again = await ok(client, COMPLETE, {"cartId": cart["id"], "key": "dup"})
        assert again["checkout"]["id"] in done


async def test_insufficient_stock_completes_nothing(
    client: SubgraphClient, checkout: SubgraphApp, inventory: FakeInventory, shop: Shop
) -> None:
    cart = await ready_cart(client, shop, [("shirt-m", 2), ("mug", 5)])
    inventory.stock["mug"] = 3

    payload = await ok(client, COMPLETE, {"cartId": cart["id"], "key": "k"})

    assert payload["checkout"] is None
    assert payload["userErrors"][0]["code"] == "INSUFFICIENT_STOCK"
    assert payload["stockShortages"] == [{"merchandiseId": "mug", "requested": 5, "available": 3}]
    assert inventory.reservations == {}
    assert await outbox(checkout) == []
    assert (await ok(client, CART, {"id": cart["id"]}))["status"] == "ACTIVE"
    inventory.stock["mug"] = 10  # restocked: the same key may now complete
    retry = await ok(client, COMPLETE, {"cartId": cart["id"], "key": "k"})
    assert retry["userErrors"] == []


async def test_inventory_down_keeps_the_cart(
    client: SubgraphClient, checkout: SubgraphApp, inventory: FakeInventory, shop: Shop
) -> None:
    cart = await ready_cart(client, shop, [("mug", 1)])
    inventory.fail_next = 100
    payload = await ok(client, COMPLETE, {"cartId": cart["id"], "key": "k"})
    assert payload["userErrors"][0]["code"] == "SERVICE_UNAVAILABLE"
    assert (await ok(client, CART, {"id": cart["id"]}))["status"] == "ACTIVE"
    assert await outbox(checkout) == []


async def test_incomplete_carts_are_refused_with_codes(client: SubgraphClient, shop: Shop) -> None:
    from tests.checkout.support import new_cart

    empty = await new_cart(client)
    payload = await ok(client, COMPLETE, {"cartId": empty["id"], "key": "a"})
    assert payload["userErrors"][0]["code"] == "EMPTY_CART"
    cart = await new_cart(client, [("mug", 1)])
    payload = await ok(client, COMPLETE, {"cartId": cart["id"], "key": "b"})
    assert payload["userErrors"][0]["code"] == "EMAIL_REQUIRED"


async def test_a_promotion_with_a_usage_limit_is_used_once_by_whoever_completes_first(
    client: SubgraphClient, checkout_uow: CheckoutUow, checkout: SubgraphApp, shop: Shop
) -> None:
    await setup.create_promotion(
        checkout_uow,
        data=setup.PromotionInput(
            code="TENOFF",
            name="10 %",
            kind=PromotionKind.PERCENTAGE,
            value=Decimal(10),
            usage_limit=1,
        ),
        actor=SYSTEM,
    )
    carts = [await ready_cart(client, shop, [("mug", 2)]) for _ in range(2)]
    for cart in carts:
        payload = await ok(client, CODES, {"cartId": cart["id"], "codes": ["tenoff"]})
        assert payload["cart"]["discountCodes"][0]["applicable"] is True
        # 17.00 - 1.70 = 15.30; VAT 2.907 → 2.91; shipping 4.90 + 0.931 → 0.93
        assert payload["cart"]["cost"]["discountAmount"]["amount"] == "1.70"
        assert payload["cart"]["cost"]["totalAmount"]["amount"] == "24.04"
    first = await ok(client, COMPLETE, {"cartId": carts[0]["id"], "key": "a"})
    assert first["checkout"]["total"]["amount"] == "24.04"
    second = await ok(client, COMPLETE, {"cartId": carts[1]["id"], "key": "b"})
    assert second["userErrors"][0]["code"] == "DISCOUNT_NOT_APPLICABLE"
    shown = await ok(client, CART, {"id": carts[1]["id"]})
    assert shown["discountCodes"][0]["status"] == "USAGE_LIMIT_REACHED"
    async with checkout.infra.database.session() as session:
        promotion = (await session.execute(select(Promotion))).scalar_one()
    assert promotion.used_count == 1


async def test_per_customer_limits_and_dates(
    client: SubgraphClient, checkout_uow: CheckoutUow, shop: Shop
) -> None:
    now = datetime.now(UTC)
    for code, starts, ends in (
        ("ONCE", None, None),
        ("LATER", now + timedelta(days=1), None),
        ("OVER", now - timedelta(days=2), now - timedelta(days=1)),
    ):
        await setup.create_promotion(
            checkout_uow,
            data=setup.PromotionInput(
                code=code,
                name=code,
                kind=PromotionKind.FIXED_AMOUNT,
                value=Decimal(5),
                currency="EUR",
                usage_limit_per_customer=1,
                starts_at=starts,
                ends_at=ends,
            ),
            actor=SYSTEM,
        )
    alice = customer("alice")
    cart = await ready_cart(client, shop, [("mug", 2)], principal=alice)
    payload = await ok(
        client,
        CODES,
        {"cartId": cart["id"], "codes": ["ONCE", "LATER", "OVER", "NOPE"]},
        principal=alice,
    )
    statuses = {c["code"]: c["status"] for c in payload["cart"]["discountCodes"]}
    assert statuses == {
        "ONCE": "APPLICABLE",
        "LATER": "NOT_STARTED",
        "OVER": "EXPIRED",
        "NOPE": "NOT_FOUND",
    }
    assert payload["cart"]["cost"]["discountAmount"]["amount"] == "5.00"
    done = await ok(client, COMPLETE, {"cartId": cart["id"], "key": "a"}, principal=alice)
    assert done["userErrors"][0]["code"] == "DISCOUNT_NOT_APPLICABLE"  # codes that do not count
    await ok(client, CODES, {"cartId": cart["id"], "codes": ["ONCE"]}, principal=alice)
    done = await ok(client, COMPLETE, {"cartId": cart["id"], "key": "a2"}, principal=alice)
    assert done["userErrors"] == []
    cart = await ready_cart(client, shop, [("mug", 2)], principal=alice)
    payload = await ok(client, CODES, {"cartId": cart["id"], "codes": ["ONCE"]}, principal=alice)
    assert payload["cart"]["discountCodes"][0]["status"] == "CUSTOMER_USAGE_LIMIT_REACHED"


async def test_a_gift_card_pays_part_and_keeps_the_rest(
    client: SubgraphClient, checkout_uow: CheckoutUow, checkout: SubgraphApp, shop: Shop
) -> None:
    await setup.create_gift_card(
        checkout_uow, code="GIFT-0001-ABCD", amount=Decimal("30.00"), currency="EUR", actor=SYSTEM
    )
    cart = await ready_cart(client, shop, [("shirt-m", 1)])  # 20 + 4.90 + 3.80 + 0.93 = 29.63
    payload = await ok(client, GIFT_CARDS, {"cartId": cart["id"], "codes": ["gift-0001-abcd"]})
    cost = payload["cart"]["cost"]
    assert (cost["giftCardAmount"]["amount"], cost["totalAmount"]["amount"]) == ("29.63", "0.00")
    assert payload["cart"]["appliedGiftCards"] == [
        {"lastCharacters": "ABCD", "status": "APPLICABLE", "amountUsed": {"amount": "29.63"}}
    ]
    done = await ok(client, COMPLETE, {"cartId": cart["id"], "key": "g"})
    assert done["userErrors"] == []
    again = await ok(client, COMPLETE, {"cartId": cart["id"], "key": "g"})  # replay: no 2nd debit
    assert again["checkout"]["id"] == done["checkout"]["id"]
    async with checkout.infra.database.session() as session:
        card = await session.get(GiftCard, "GIFT-0001-ABCD")
    assert card is not None
    assert card.balance_minor == 37  # 30.00 - 29.63

    cart = await ready_cart(client, shop, [("shirt-m", 1)])
    payload = await ok(client, GIFT_CARDS, {"cartId": cart["id"], "codes": ["GIFT-0001-ABCD"]})
    assert payload["cart"]["cost"]["giftCardAmount"]["amount"] == "0.37"
    assert payload["cart"]["cost"]["totalAmount"]["amount"] == "29.26"


async def test_undeliverable_and_malformed_addresses_get_field_errors(
    client: SubgraphClient, shop: Shop
) -> None:
    from tests.checkout.support import DE_ADDRESS, new_cart

    cart = await new_cart(client, [("mug", 1)])
    us = {**DE_ADDRESS, "countryCode": "US", "postalCode": "1234"}
    payload = await ok(client, ADDRESS, {"cartId": cart["id"], "address": us})
    assert {(tuple(e["field"]), e["code"]) for e in payload["userErrors"]} == {
        (("shippingAddress", "postalCode"), "INVALID_POSTAL_CODE"),
        (("shippingAddress", "provinceCode"), "REQUIRED"),
    }
    gb = {**DE_ADDRESS, "countryCode": "GB", "postalCode": "SW1A 1AA"}
    payload = await ok(client, ADDRESS, {"cartId": cart["id"], "address": gb})
    assert payload["userErrors"][0]["code"] == "UNSUPPORTED_COUNTRY"
    nl = {**DE_ADDRESS, "countryCode": "NL", "postalCode": "1012 ab"}
    payload = await ok(client, ADDRESS, {"cartId": cart["id"], "address": nl})
    assert payload["userErrors"] == []
    assert payload["cart"]["shippingAddress"] == {"countryCode": "NL", "postalCode": "1012 AB"}
    options = {o["title"]: o["amount"]["amount"] for o in payload["cart"]["deliveryOptions"]}
    assert options == {"Parcel": "5.00", "Standard": "4.90"}
