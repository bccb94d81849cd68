"""Checkout's side of the purchase saga: completion names the order and how to pay; a cancelled
order gives back promotions and gift cards once; a failed payment reopens the cart so the shopper
can pay again (merging into a newer cart of the same customer)."""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from datetime import timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from shared.app import SubgraphApp
from shared.auth import ANONYMOUS, SYSTEM
from shared.bus.memory import InMemoryEventBus
from shared.events import Envelope, loads
from subgraphs.checkout.domain.models import Checkout, GiftCard, Promotion
from subgraphs.checkout.domain.payment import PaymentChoice
from subgraphs.checkout.domain.pricing import PromotionKind
from subgraphs.checkout.services import setup
from subgraphs.checkout.services.complete_checkout import complete_checkout
from tests.checkout.fake_inventory import FakeInventory
from tests.checkout.support import (
    CART,
    CODES,
    COMPLETE,
    GIFT_CARDS,
    CheckoutUow,
    Shop,
    new_cart,
    ok,
    ready_cart,
)
from tests.graphql_client import SubgraphClient, customer


async def completed_events(app: SubgraphApp) -> list[dict[str, Any]]:
    table = app.infra.tables.outbox
    async with app.infra.database.session() as session:
        rows = (await session.execute(select(table.c.event_type, table.c.payload))).all()
    return [loads(p) for t, p in rows if t == "CheckoutCompleted"]


def cancelled(order_id: str, reason: str, code: str | None = None) -> Envelope:
    return Envelope(
        type="OrderCancelled",
        source="orders",
        key=order_id,
        payload={
            "order_id": order_id,
            "number": "1001",
            "reason": reason,
            "payment_code": code,
            "paid": False,
            "lines": [],
        },
    )


async def test_completion_names_the_order_its_guest_token_and_the_payment(
    client: SubgraphClient, checkout: SubgraphApp, shop: Shop
) -> None:
    cart = await ready_cart(client, shop, [("mug", 1)])
    payload = await ok(
        client,
        COMPLETE,
        {"cartId": cart["id"], "key": "k", "payment": {"gateway": "Stripe", "token": "pm_card_1"}},
    )
    assert payload["userErrors"] == []
    order_id = payload["checkout"]["order"]["id"]
    token = payload["checkout"]["orderToken"]
    assert uuid.UUID(order_id)
    assert len(token) >= 32
    (event,) = await completed_events(checkout)
    assert event["order_id"] == order_id
    assert event["order_token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    assert event["payment"] == {"gateway": "stripe", "token": "pm_card_1"}
    async with checkout.infra.database.session() as session:
        stored = await session.get(Checkout, payload["checkout"]["id"])
    assert stored is not None
    assert stored.summary["payment"] == {"gateway": "stripe"}  # the token is not kept
    replay = await ok(
        client,
        COMPLETE,
        {"cartId": cart["id"], "key": "k", "payment": {"gateway": "stripe", "token": "pm_card_1"}},
    )
    assert (replay["checkout"]["order"]["id"], replay["checkout"]["orderToken"]) == (
        order_id,
        token,
    )
    other = await ok(
        client,
        COMPLETE,
        {"cartId": cart["id"], "key": "k", "payment": {"gateway": "stripe", "token": "pm_other"}},
    )
    assert other["userErrors"][0]["code"] == "IDEMPOTENCY_KEY_REUSED"


async def test_payment_is_required_and_must_be_a_provider_token(
    client: SubgraphClient, inventory: FakeInventory, shop: Shop
) -> None:
    cart = await ready_cart(client, shop, [("mug", 1)])
    missing = await ok(client, COMPLETE, {"cartId": cart["id"], "key": "a", "payment": None})
    assert [(e["field"], e["code"]) for e in missing["userErrors"]] == [
        (["payment"], "PAYMENT_REQUIRED")
    ]
    card_number = {"gateway": "simulator", "token": "4242 4242 4242 4242"}
    bad = await ok(client, COMPLETE, {"cartId": cart["id"], "key": "b", "payment": card_number})
    assert bad["userErrors"][0]["code"] == "INVALID_PAYMENT"
    assert inventory.reservations == {}  # nothing reserved
    assert (await ok(client, CART, {"id": cart["id"]}))["status"] == "ACTIVE"
    fine = await ok(client, COMPLETE, {"cartId": cart["id"], "key": "c"})
    assert fine["userErrors"] == []


async def test_a_total_paid_by_gift_card_needs_no_payment(
    client: SubgraphClient, checkout_uow: CheckoutUow, checkout: SubgraphApp, shop: Shop
) -> None:
    await setup.create_gift_card(
        checkout_uow, code="GIFT-0002-WXYZ", amount=Decimal("50.00"), currency="EUR", actor=SYSTEM
    )
    cart = await ready_cart(client, shop, [("mug", 1)])
    await ok(client, GIFT_CARDS, {"cartId": cart["id"], "codes": ["GIFT-0002-WXYZ"]})
    done = await ok(client, COMPLETE, {"cartId": cart["id"], "key": "g", "payment": None})
    assert done["userErrors"] == []
    (event,) = await completed_events(checkout)
    assert (event["total"], event["payment"]) == ("0.00", None)


async def _promotion_and_gift_card(checkout_uow: CheckoutUow) -> None:
    await setup.create_promotion(
        checkout_uow,
        data=setup.PromotionInput(
            code="ONCE",
            name="once",
            kind=PromotionKind.PERCENTAGE,
            value=Decimal(10),
            usage_limit=1,
        ),
        actor=SYSTEM,
    )
    await setup.create_gift_card(
        checkout_uow, code="GIFT-0003-PART", amount=Decimal("5.00"), currency="EUR", actor=SYSTEM
    )


async def _state(checkout: SubgraphApp) -> tuple[int, int]:
    async with checkout.infra.database.session() as session:
        promotion = (
            await session.execute(select(Promotion).where(Promotion.code == "ONCE"))
        ).scalar_one()
        card = await session.get(GiftCard, "GIFT-0003-PART")
    assert card is not None
    return promotion.used_count, card.balance_minor


async def test_a_failed_payment_reopens_the_cart_and_gives_back_codes_once(
    client: SubgraphClient,
    checkout_uow: CheckoutUow,
    checkout: SubgraphApp,
    bus: InMemoryEventBus,
    inventory: FakeInventory,
    shop: Shop,
) -> None:
    await _promotion_and_gift_card(checkout_uow)
    cart = await ready_cart(client, shop, [("mug", 2)])
    await ok(client, CODES, {"cartId": cart["id"], "codes": ["ONCE"]})
    await ok(client, GIFT_CARDS, {"cartId": cart["id"], "codes": ["GIFT-0003-PART"]})
    first = await ok(client, COMPLETE, {"cartId": cart["id"], "key": "attempt-1"})
    assert first["userErrors"] == []
    assert await _state(checkout) == (1, 0)

    event = cancelled(first["checkout"]["order"]["id"], "PAYMENT_FAILED", "DECLINED")
    await bus.publish(event)
    await bus.publish(event)  # a redelivery changes nothing

    assert await _state(checkout) == (0, 500)
    reopened = await ok(client, CART, {"id": cart["id"]})
    assert reopened["status"] == "ACTIVE"
    assert [c["code"] for c in reopened["discountCodes"]] == ["ONCE"]
    assert reopened["discountCodes"][0]["applicable"] is True
    again = await ok(client, COMPLETE, {"cartId": cart["id"], "key": "attempt-1"})
    assert again["checkout"]["id"] == first["checkout"]["id"]  # the key still replays
    second = await ok(client, COMPLETE, {"cartId": cart["id"], "key": "attempt-2"})
    assert second["userErrors"] == []
    assert second["checkout"]["order"]["id"] != first["checkout"]["order"]["id"]
    assert await _state(checkout) == (1, 0)
    assert len(await completed_events(checkout)) == 2
    assert len(inventory.reservations) == 2  # one per attempt; orders/inventory release the first


async def test_a_customer_cancellation_gives_back_but_keeps_the_cart_closed(
    client: SubgraphClient,
    checkout_uow: CheckoutUow,
    checkout: SubgraphApp,
    bus: InMemoryEventBus,
    shop: Shop,
) -> None:
    await _promotion_and_gift_card(checkout_uow)
    cart = await ready_cart(client, shop, [("mug", 2)])
    await ok(client, CODES, {"cartId": cart["id"], "codes": ["ONCE"]})
    await ok(client, GIFT_CARDS, {"cartId": cart["id"], "codes": ["GIFT-0003-PART"]})
    done = await ok(client, COMPLETE, {"cartId": cart["id"], "key": "k"})
    await bus.publish(cancelled(done["checkout"]["order"]["id"], "CUSTOMER"))
    assert await _state(checkout) == (0, 500)
    assert (await ok(client, CART, {"id": cart["id"]}))["status"] == "COMPLETED"


async def test_a_reopened_cart_merges_into_the_customers_newer_cart(
    client: SubgraphClient, bus: InMemoryEventBus, shop: Shop
) -> None:
    alice = customer("alice")
    cart = await ready_cart(client, shop, [("mug", 2)], principal=alice)
    done = await ok(client, COMPLETE, {"cartId": cart["id"], "key": "k"}, principal=alice)
    assert done["userErrors"] == []
    newer = await new_cart(client, [("mug", 1), ("shirt-m", 1)], principal=alice)
    assert newer["id"] != cart["id"]

    await bus.publish(cancelled(done["checkout"]["order"]["id"], "PAYMENT_FAILED", "DECLINED"))

    merged = await ok(client, CART, {"id": newer["id"]}, principal=alice)
    assert {x["merchandise"]["id"]: x["quantity"] for x in merged["lines"]} == {
        "mug": 3,
        "shirt-m": 1,
    }
    old = await ok(client, CART, {"id": cart["id"]}, principal=alice)
    assert old["status"] == "MERGED"


async def test_a_cancellation_of_an_unknown_order_is_ignored(
    client: SubgraphClient, bus: InMemoryEventBus, shop: Shop
) -> None:
    cart = await ready_cart(client, shop, [("mug", 1)])
    await bus.publish(cancelled(str(uuid.uuid4()), "PAYMENT_FAILED", "DECLINED"))
    assert (await ok(client, CART, {"id": cart["id"]}))["status"] == "ACTIVE"
    assert await bus.dead_letters("checkout") == []


async def test_a_per_customer_limit_holds_under_concurrent_checkouts_and_frees_on_cancel(
    client: SubgraphClient, checkout_uow: CheckoutUow, bus: InMemoryEventBus, shop: Shop
) -> None:
    await setup.create_promotion(
        checkout_uow,
        data=setup.PromotionInput(
            code="ONEEACH",
            name="one each",
            kind=PromotionKind.PERCENTAGE,
            value=Decimal(10),
            usage_limit_per_customer=1,
        ),
        actor=SYSTEM,
    )
    carts = [await ready_cart(client, shop, [("mug", 1)]) for _ in range(4)]  # one email
    for cart in carts:
        await ok(client, CODES, {"cartId": cart["id"], "codes": ["ONEEACH"]})

    results = await asyncio.gather(
        *(ok(client, COMPLETE, {"cartId": c["id"], "key": f"k{i}"}) for i, c in enumerate(carts))
    )

    done = [r for r in results if not r["userErrors"]]
    assert len(done) == 1
    refused = {e["code"] for r in results for e in r["userErrors"]}
    assert refused <= {"DISCOUNT_NOT_APPLICABLE", "CHECKOUT_IN_PROGRESS"}
    await bus.publish(cancelled(done[0]["checkout"]["order"]["id"], "CUSTOMER"))
    again = await ready_cart(client, shop, [("mug", 1)])
    payload = await ok(client, CODES, {"cartId": again["id"], "codes": ["ONEEACH"]})
    assert payload["cart"]["discountCodes"][0]["applicable"] is True  # the use was given back
    assert (await ok(client, COMPLETE, {"cartId": again["id"], "key": "z"}))["userErrors"] == []


class StallingInventory:
    """Reserves every line; the first reserve stalls until released (a hung first attempt)."""

    def __init__(self) -> None:
        self.gate = asyncio.Event()
        self.entered = asyncio.Event()
        self.reserved: list[str] = []
        self.calls = 0

    async def reserve(
        self, *, reservation_id: str, owner: str, lines: Any, ttl_seconds: int
    ) -> str:
        self.calls += 1
        if self.calls == 1:
            self.entered.set()
            await self.gate.wait()
        self.reserved.append(reservation_id)
        return reservation_id

    async def commit(self, reservation_id: str) -> None:
        return None

    async def release(self, reservation_id: str) -> None:
        return None

    async def availability(self, variant_ids: Any) -> dict[str, Any]:
        return {}


async def test_a_hung_attempt_taken_over_by_a_retry_still_makes_one_order(
    client: SubgraphClient, checkout_uow: CheckoutUow, checkout: SubgraphApp, shop: Shop
) -> None:
    cart = await ready_cart(client, shop, [("mug", 1)])
    stalling = StallingInventory()
    choice = PaymentChoice.of("simulator", "tok_success")

    def attempt() -> Any:
        return complete_checkout(
            checkout_uow,
            stalling,
            cart_id=cart["id"],
            idempotency_key="same-key",
            actor=ANONYMOUS,
            payment=choice,
            stale_after=timedelta(milliseconds=50),
        )

    first = asyncio.create_task(attempt())
    await stalling.entered.wait()
    await asyncio.sleep(0.1)  # the first claim is now older than stale_after
    taken_over = await attempt()  # the retry takes the claim over and finishes
    stalling.gate.set()
    late = await first  # the hung attempt wakes up and finishes second

    assert late == taken_over
    assert stalling.reserved[0] == stalling.reserved[1]  # one reservation id for the key
    assert len(await completed_events(checkout)) == 1  # one order
