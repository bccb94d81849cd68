"""The admin's low-stock feed ``stockAlerts``: staff with MANAGE_INVENTORY see variants running low
and coming back in stock as inventory publishes StockLow / BackInStock; others are refused."""

from __future__ import annotations

import asyncio
from typing import Any

from shared.app import SubgraphApp
from shared.auth import Permission, Principal
from shared.bus.memory import InMemoryEventBus
from shared.graphql.dataloaders import Loaders
from subgraphs.inventory.graphql.context import InventoryContext
from tests.graphql_client import customer, staff
from tests.inventory.support import InventoryUow, put_stock, reserve, warehouse

FEED = "subscription { stockAlerts { type variantId available threshold variant { id } } }"


def context(app: SubgraphApp, bus: InMemoryEventBus, principal: Principal) -> InventoryContext:
    return InventoryContext(
        request=None,  # type: ignore[arg-type]
        principal=principal,
        request_id="alerts-test",
        loaders=Loaders(lambda cls: cls(app.infra.database)),
        database=app.infra.database,
        bus=bus,
    )


async def test_staff_see_low_stock_and_back_in_stock_live(
    inventory: SubgraphApp, inventory_uow: InventoryUow, bus: InMemoryEventBus
) -> None:
    stream: Any = await inventory.schema.subscribe(
        FEED, context_value=context(inventory, bus, staff(Permission.MANAGE_INVENTORY))
    )
    first = asyncio.ensure_future(anext(stream))
    await asyncio.sleep(0.05)  # the subscription starts listening
    wh = await warehouse(inventory_uow, "A")
    await put_stock(inventory_uow, "v1", wh, 8)  # 0 → 8: back in stock
    await inventory.infra.relay.run_once()
    back = await asyncio.wait_for(first, 5)
    assert back.data == {
        "stockAlerts": {
            "type": "BackInStock",
            "variantId": "v1",
            "available": 8,
            "threshold": None,
            "variant": {"id": "v1"},
        }
    }
    await reserve(inventory_uow, "r1", {"v1": 3})  # 8 → 5: at the threshold (5)
    await inventory.infra.relay.run_once()
    low = await asyncio.wait_for(anext(stream), 5)
    assert low.data["stockAlerts"] == {
        "type": "StockLow",
        "variantId": "v1",
        "available": 5,
        "threshold": 5,
        "variant": {"id": "v1"},
    }
    await stream.aclose()


async def test_others_are_refused_the_alerts(inventory: SubgraphApp, bus: InMemoryEventBus) -> None:
    for who in (customer("c1"), staff(Permission.MANAGE_ORDERS)):
        result: Any = await inventory.schema.subscribe(
            FEED, context_value=context(inventory, bus, who)
        )
        refused = result if hasattr(result, "errors") else await asyncio.wait_for(anext(result), 5)
        assert refused.errors
        assert refused.errors[0].extensions["code"] in {"FORBIDDEN", "UNAUTHENTICATED"}
