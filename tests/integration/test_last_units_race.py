"""The last-K race across the real path: many guests complete at once through checkout's
GraphQL, checkout reserves through inventory's signed HTTP API (group commit), and exactly K
checkouts succeed; stock never goes below zero; the losers hold nothing."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import func, select

from subgraphs.inventory.repository import stock
from tests.checkout.support import COMPLETE, new_cart, ok
from tests.integration.support import Shop, outbox_events

BUYERS = 60
UNITS = 7


async def _one_buyer(shop: Shop, variant_id: str, method_id: str, n: int) -> dict[str, Any]:
    cart = await new_cart(shop.checkout_client, [(variant_id, 1)])
    await shop.ready_for_payment(cart["id"], method_id)
    payload: dict[str, Any] = await ok(
        shop.checkout_client, COMPLETE, {"cartId": cart["id"], "key": f"buyer-{n}"}
    )
    return payload


async def test_exactly_k_of_n_concurrent_buyers_get_the_last_units(shop: Shop) -> None:
    (variant,) = await shop.publish_product("Last Lamp", ["LAMP"])
    await shop.stock(variant, await shop.warehouse(), UNITS)
    methods = await shop.shipping()

    results = await asyncio.gather(
        *(_one_buyer(shop, variant, methods["flat"], n) for n in range(BUYERS))
    )

    won = [r for r in results if r["checkout"] is not None]
    lost = [r for r in results if r["checkout"] is None]
    assert len(won) == UNITS
    assert len(lost) == BUYERS - UNITS
    assert {e["code"] for r in lost for e in r["userErrors"]} == {"INSUFFICIENT_STOCK"}
    assert all(r["userErrors"] == [] for r in won)
    assert await shop.levels(variant) == {"onHand": UNITS, "reserved": UNITS, "available": 0}
    assert await shop.availability(variant) == {"inStock": False, "quantityAvailable": 0}
    async with shop.inventory.infra.database.session() as session:
        lowest = (
            await session.execute(select(func.min(stock.c.on_hand - stock.c.reserved)))
        ).scalar_one()
    assert lowest == 0
    events = await outbox_events(shop.checkout, "CheckoutCompleted")
    assert sorted(e["checkout_id"] for e in events) == sorted(r["checkout"]["id"] for r in won)
    assert len(await outbox_events(shop.inventory, "StockReserved")) == UNITS
