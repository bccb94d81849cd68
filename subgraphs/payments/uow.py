"""The payments subgraph's unit of work."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from shared.uow import UnitOfWork
from subgraphs.payments.repository import PaymentStore


class PaymentsUnitOfWork(UnitOfWork):
    payments: PaymentStore

    def open_repositories(self, session: AsyncSession) -> None:
        self.payments = PaymentStore(session)
