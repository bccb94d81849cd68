"""What the orders subgraph does with other subgraphs' events (the purchase saga, GDPR).
Registered in ``HANDLERS``; each runs once per event (inbox), in one transaction with its
effects and the events it records."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime
from typing import Any

from shared.consumer import EventHandler
from shared.events import Envelope
from shared.gdpr import gdpr_handlers
from subgraphs.orders.services import saga
from subgraphs.orders.services.personal_data import anonymize_customer, collect_personal_data
from subgraphs.orders.uow import OrdersUnitOfWork

Step = Callable[[OrdersUnitOfWork, Mapping[str, Any], datetime], Awaitable[None]]


def _on(step: Step) -> EventHandler[OrdersUnitOfWork]:
    async def handle(uow: OrdersUnitOfWork, envelope: Envelope) -> None:
        await step(uow, envelope.payload, envelope.occurred_at)

    handle.__doc__ = step.__doc__
    return handle


HANDLERS: Mapping[str, EventHandler[OrdersUnitOfWork]] = {
    "CheckoutCompleted": _on(saga.place_order),
    "PaymentActionRequired": _on(saga.payment_action_required),
    "PaymentAuthorized": _on(saga.payment_authorized),
    "PaymentCaptured": _on(saga.payment_captured),
    "PaymentFailed": _on(saga.payment_failed),
    "PaymentVoided": _on(saga.payment_voided),
    "RefundSucceeded": _on(saga.refund_succeeded),
    "RefundFailed": _on(saga.refund_failed),
    "DisputeOpened": _on(saga.dispute_opened),
    "StockCommitted": _on(saga.stock_committed),
    "StockCommitFailed": _on(saga.stock_commit_failed),
    **gdpr_handlers("orders", collect=collect_personal_data, anonymize=anonymize_customer),
}
