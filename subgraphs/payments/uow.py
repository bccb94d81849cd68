"""The payments subgraph's unit of work."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from shared.uow import UnitOfWork
from subgraphs.payments.repository import PaymentStore


class PaymentsUnitOfWork(UnitOfWork):
    """``after_commit`` runs after every commit (events or not): recording work for the payment
    processor writes no outbox row, yet the processor must look at once."""

    payments: PaymentStore
    after_commit: Callable[[], None] | None = None

    def open_repositories(self, session: AsyncSession) -> None:
        self.payments = PaymentStore(session)

    async def commit(self, *, idempotent_response: Mapping[str, Any] | None = None) -> None:
        await super().commit(idempotent_response=idempotent_response)
        if self.after_commit is not None:
            self.after_commit()
