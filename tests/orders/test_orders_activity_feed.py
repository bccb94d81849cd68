"""The admin's live feed ``orderActivity``: staff with MANAGE_ORDERS see orders placed, paid and
cancelled as they happen (from the bus); others are refused. Run in process through the schema."""

from __future__ import annotations

import asyncio
from typing import Any

from shared.app import SubgraphApp
from shared.auth import Permission, Principal
from shared.bus.memory import InMemoryEventBus
from shared.graphql.dataloaders import Loaders
from subgraphs.orders.graphql.context import OrdersContext
from tests.graphql_client import customer, staff
from tests.orders.support import completed, payment

FEED = "subscription { orderActivity { type orderId number amount } }"


def context(app: SubgraphApp, bus: InMemoryEventBus, principal: Principal) -> OrdersContext:
    return OrdersContext(
        request=None,  # type: ignore[arg-type]
        principal=principal,
        request_id="feed-test",
        loaders=Loaders(lambda cls: cls(app.infra.database)),
        database=app.infra.database,
        bus=bus,
    )


async def test_staff_see_orders_placed_and_paid_live(
    orders: SubgraphApp, bus: InMemoryEventBus
) -> None:
    stream: Any = await orders.schema.subscribe(
        FEED, context_value=context(orders, bus, staff(Permission.MANAGE_ORDERS))
    )
    first = asyncio.ensure_future(anext(stream))
    await asyncio.sleep(0.05)  # the subscription starts listening
    event = completed()
    order_id = str(event.payload["order_id"])
    await bus.publish(event)
    await orders.infra.relay.run_once()  # OrderPlaced leaves the outbox
    placed = await asyncio.wait_for(first, 5)
    assert placed.data == {
        "orderActivity": {
            "type": "OrderPlaced",
            "orderId": order_id,
            "number": "1001",
            "amount": "63.55",
        }
    }
    await bus.publish(payment("PaymentCaptured", order_id, amount="63.55"))
    await orders.infra.relay.run_once()
    paid = await asyncio.wait_for(anext(stream), 5)
    assert paid.data["orderActivity"]["type"] == "OrderPaid"
    await stream.aclose()


async def test_others_are_refused_the_feed(orders: SubgraphApp, bus: InMemoryEventBus) -> None:
    for who in (customer("c1"), staff(Permission.MANAGE_PRODUCTS)):
        result: Any = await orders.schema.subscribe(FEED, context_value=context(orders, bus, who))
        if hasattr(result, "errors"):
            refused = result
        else:
            refused = await asyncio.wait_for(anext(result), 5)
        assert refused.errors
        assert refused.errors[0].extensions["code"] in {"FORBIDDEN", "UNAUTHENTICATED"}
