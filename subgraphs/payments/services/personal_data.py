"""GDPR for payments: a customer's payments (amounts, gateway, status — never card data; the
provider token is left out of the export). Erasure unlinks the customer and drops the email and
the token; amounts and references stay (bookkeeping and tax law keep payments for years)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from subgraphs.payments.uow import PaymentsUnitOfWork


async def collect_personal_data(uow: PaymentsUnitOfWork, customer_id: str) -> dict[str, Any]:
    out = []
    for payment_id in await uow.payments.of_customer(customer_id):
        s = (await uow.payments.load(payment_id)).state
        out.append(
            {
                k: s.get(k)
                for k in (
                    "id",
                    "order_id",
                    "gateway",
                    "status",
                    "amount",
                    "currency",
                    "captured",
                    "refunded",
                    "created_at",
                )
            }
        )
    return {"payments": out}


async def anonymize_customer(uow: PaymentsUnitOfWork, customer_id: str) -> None:
    """The stream keeps the request's personal fields; ``CustomerErased`` blanks them in the
    state (and projection). The stream's own copies are blanked too (``scrub``)."""
    now = datetime.now(UTC)
    for payment_id in await uow.payments.of_customer(customer_id):
        payment = await uow.payments.load(payment_id)
        payment.record("CustomerErased", {}, now)
        await uow.payments.save(payment, now=now)
        await uow.payments.scrub_request(payment_id)
