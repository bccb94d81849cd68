"""Orders subscriptions: the live feed of the admin (staff with MANAGE_ORDERS), from the bus."""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry
from strawberry.types import Info

from shared.auth import Permission
from shared.graphql.permissions import HasPermission, requires
from subgraphs.orders.graphql.context import OrdersContext

FEED = ["OrderPlaced", "OrderPaid", "OrderCancelled", "OrderShipped", "RefundRequested"]


@strawberry.type(description="Something happened to an order.")
class OrderActivity:
    type: str = strawberry.field(description="OrderPlaced, OrderPaid, OrderCancelled, …")
    order_id: strawberry.ID
    number: str | None
    amount: str | None
    currency: str | None


@strawberry.type(name="Subscription")
class OrdersSubscription:
    @strawberry.subscription(
        extensions=requires(HasPermission(Permission.MANAGE_ORDERS)),
        description="New, paid, cancelled and shipped orders as they happen (staff).",
    )
    async def order_activity(
        self, info: Info[OrdersContext, None]
    ) -> AsyncGenerator[OrderActivity, None]:
        async for envelope in info.context.event_bus().listen(FEED):
            p = envelope.payload
            yield OrderActivity(
                type=envelope.type,
                order_id=strawberry.ID(str(p["order_id"])),
                number=p.get("number"),
                amount=str(p.get("total") or p.get("amount") or "") or None,
                currency=p.get("currency"),
            )
