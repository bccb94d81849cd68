"""Orders queries."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from shared.auth import Permission
from shared.graphql.permissions import HasPermission, requires
from shared.graphql.types import Connection
from subgraphs.orders.graphql.context import OrdersContext
from subgraphs.orders.graphql.types import Order, OrderFilter, load_order, order_page
from subgraphs.orders.repository import OrderListFilter

MANAGE_ORDERS = requires(HasPermission(Permission.MANAGE_ORDERS))


@strawberry.type(name="Query")
class OrdersQuery:
    @strawberry.field(
        description="An order: to its customer, to a guest holding its `token` (given at "
        "checkout), to staff with MANAGE_ORDERS. To anyone else it does not exist."
    )
    async def order(
        self, info: Info[OrdersContext, None], id: strawberry.ID, token: str | None = None
    ) -> Order | None:
        return await load_order(info, str(id), token)

    @strawberry.field(extensions=MANAGE_ORDERS, description="Every order, newest first (staff).")
    async def orders(
        self,
        info: Info[OrdersContext, None],
        first: int | None = 20,
        after: str | None = None,
        filter: OrderFilter | None = None,
    ) -> Connection[Order]:
        where = OrderListFilter()
        if filter is not None:
            where = OrderListFilter(
                status=filter.status.value if filter.status else None,
                payment_status=filter.payment_status.value if filter.payment_status else None,
                customer_id=str(filter.customer_id) if filter.customer_id else None,
                search=filter.search,
            )
        return await order_page(info, first, after, where)
