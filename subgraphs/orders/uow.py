"""The orders subgraph's unit of work."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from shared.uow import UnitOfWork
from subgraphs.orders.repository import NotificationOutbox, OrderStore


class OrdersUnitOfWork(UnitOfWork):
    orders: OrderStore
    notifications: NotificationOutbox

    def open_repositories(self, session: AsyncSession) -> None:
        self.orders = OrderStore(session)
        self.notifications = NotificationOutbox(session)
