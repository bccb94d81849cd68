"""What the payments subgraph does with other subgraphs' events: record the work the processor
must do (services/saga.py), once per event (inbox); GDPR."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime
from typing import Any

from shared.consumer import EventHandler
from shared.events import Envelope
from shared.gdpr import gdpr_handlers
from subgraphs.payments.services import saga
from subgraphs.payments.services.personal_data import anonymize_customer, collect_personal_data
from subgraphs.payments.uow import PaymentsUnitOfWork

Step = Callable[[PaymentsUnitOfWork, Mapping[str, Any], datetime], Awaitable[None]]


def _on(step: Step) -> EventHandler[PaymentsUnitOfWork]:
    async def handle(uow: PaymentsUnitOfWork, envelope: Envelope) -> None:
        await step(uow, envelope.payload, envelope.occurred_at)

    return handle


HANDLERS: Mapping[str, EventHandler[PaymentsUnitOfWork]] = {
    "OrderPlaced": _on(saga.request_payment),
    "OrderCancelled": _on(saga.cancel_payment),
    "RefundRequested": _on(saga.request_refund),
    **gdpr_handlers("payments", collect=collect_personal_data, anonymize=anonymize_customer),
}
