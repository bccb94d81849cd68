"""The cart sweeper: scheduled between the app's start and stop, it deletes guest carts whose
lifetime ran out — not customers' carts, not completed ones, not fresh ones."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from shared.app import SubgraphApp
from subgraphs.checkout.domain.models import GUEST_CART_TTL
from subgraphs.checkout.sweeper import CartSweeper
from tests.checkout.support import CART, COMPLETE, CheckoutUow, Shop, new_cart, ok, ready_cart
from tests.graphql_client import SubgraphClient, customer


async def test_the_sweeper_runs_between_start_and_stop(checkout: SubgraphApp) -> None:
    sweeper: CartSweeper = checkout.asgi.state.cart_sweeper
    assert not sweeper.running
    await checkout.start()
    try:
        assert sweeper.running
    finally:
        await checkout.stop()
    assert not sweeper.running


async def test_expired_guest_carts_go_the_others_stay(
    checkout: SubgraphApp, checkout_uow: CheckoutUow, client: SubgraphClient, shop: Shop
) -> None:
    guest = await new_cart(client, [("mug", 1)])
    alice = customer("alice")
    owned = await new_cart(client, [("mug", 1)], principal=alice)
    done = await ready_cart(client, shop, [("mug", 1)])
    completed = await ok(client, COMPLETE, {"cartId": done["id"], "key": "k"})
    assert completed["userErrors"] == []
    later = datetime.now(UTC) + GUEST_CART_TTL + timedelta(minutes=1)

    assert await CartSweeper(checkout_uow, interval=60).run_once() == 0  # nothing is due yet
    sweeper = CartSweeper(checkout_uow, interval=60, clock=lambda: later)
    assert await sweeper.run_once() == 1
    assert await sweeper.run_once() == 0

    async with checkout_uow() as uow:
        assert await uow.carts.get(guest["id"]) is None
        assert await uow.carts.get(owned["id"]) is not None
        assert await uow.carts.get(done["id"]) is not None
    assert (await ok(client, CART, {"id": owned["id"]}, principal=alice))["totalQuantity"] == 1
