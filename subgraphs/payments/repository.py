"""The payments subgraph's only SQL: the event store and projection, the processor's work queue
(leases), webhook deliveries; readers for GraphQL."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from shared.events import dumps, loads
from shared.pagination import Page, PageRequest, PaginationError, encode_cursor
from subgraphs.payments.domain.models import payment_events, payments, webhook_deliveries
from subgraphs.payments.domain.payment import Payment, Recorded


def _recorded(row: Any) -> Recorded:
    return Recorded(
        type=str(row.type), data=loads(row.data), version=int(row.version), at=row.occurred_at
    )


class PaymentStore:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def events(self, payment_id: str) -> list[Recorded]:
        rows = await self.session.execute(
            select(payment_events)
            .where(payment_events.c.payment_id == payment_id)
            .order_by(payment_events.c.version)
        )
        return [_recorded(r) for r in rows]

    async def load(self, payment_id: str) -> Payment:
        return Payment.load(payment_id, await self.events(payment_id))

    async def id_of_order(self, order_id: str) -> str | None:
        found = await self.session.execute(
            select(payments.c.id).where(payments.c.order_id == order_id)
        )
        value = found.scalar_one_or_none()
        return None if value is None else str(value)

    async def id_of_reference(self, reference: str) -> str | None:
        found = await self.session.execute(
            select(payments.c.id).where(payments.c.provider_reference == reference)
        )
        value = found.scalar_one_or_none()
        return None if value is None else str(value)

    async def save(self, payment: Payment, *, now: datetime) -> None:
        if not payment.pending:
            return
        first = payment.pending[0].version == 1
        await self.session.execute(
            insert(payment_events),
            [
                {
                    "payment_id": payment.id,
                    "version": e.version,
                    "type": e.type,
                    "data": dumps(dict(e.data)),
                    "occurred_at": e.at,
                }
                for e in payment.pending
            ],
        )
        values = projection_row(payment.id, payment.state, now)
        if first:
            await self.session.execute(insert(payments).values(**values))
        else:
            await self.session.execute(
                update(payments).where(payments.c.id == payment.id).values(**values)
            )
        payment.pending.clear()

    async def claim_work(self, now: datetime, lease: timedelta, limit: int) -> list[str]:
        """Payments with provider work due, leased to this processor (a crashed processor's
        lease runs out and another takes over — with the same idempotency keys)."""
        due = (
            select(payments.c.id)
            .where(
                payments.c.has_work.is_(True),
                or_(payments.c.next_attempt_at.is_(None), payments.c.next_attempt_at <= now),
                or_(payments.c.lease_until.is_(None), payments.c.lease_until < now),
            )
            .order_by(payments.c.updated_at)
            .limit(limit)
        )
        if self.session.get_bind().dialect.name == "postgresql":
            due = due.with_for_update(skip_locked=True)
        ids = [str(i) for i in (await self.session.execute(due)).scalars()]
        if ids:
            await self.session.execute(
                update(payments).where(payments.c.id.in_(ids)).values(lease_until=now + lease)
            )
        return ids

    async def release(self, payment_id: str, *, retry_at: datetime | None) -> None:
        await self.session.execute(
            update(payments)
            .where(payments.c.id == payment_id)
            .values(lease_until=None, next_attempt_at=retry_at)
        )

    async def remember_delivery(
        self, provider: str, event_id: str, event_type: str, at: datetime
    ) -> bool:
        """False when this provider event was handled before (a replay)."""
        seen = await self.session.execute(
            select(webhook_deliveries.c.event_id).where(
                webhook_deliveries.c.provider == provider,
                webhook_deliveries.c.event_id == event_id[:120],
            )
        )
        if seen.first() is not None:
            return False
        await self.session.execute(  # a concurrent twin fails this transaction's commit
            insert(webhook_deliveries).values(
                provider=provider,
                event_id=event_id[:120],
                event_type=event_type[:80],
                received_at=at,
            )
        )
        return True

    async def scrub_request(self, payment_id: str) -> None:
        """GDPR: blank the personal fields of the PaymentRequested event (version 1)."""
        row = (
            await self.session.execute(
                select(payment_events.c.data).where(
                    payment_events.c.payment_id == payment_id, payment_events.c.version == 1
                )
            )
        ).scalar_one_or_none()
        if row is None:
            return
        data = loads(row) | {"customer_id": None, "email": None, "token": None}
        await self.session.execute(
            update(payment_events)
            .where(payment_events.c.payment_id == payment_id, payment_events.c.version == 1)
            .values(data=dumps(data))
        )

    async def of_customer(self, customer_id: str) -> list[str]:
        rows = await self.session.execute(
            select(payments.c.id).where(payments.c.customer_id == customer_id)
        )
        return [str(r) for r in rows.scalars()]


def projection_row(payment_id: str, state: dict[str, Any], now: datetime) -> dict[str, Any]:
    created = state.get("created_at")
    return {
        "id": payment_id,
        "order_id": state.get("order_id") or payment_id,
        "customer_id": state.get("customer_id"),
        "gateway": state.get("gateway") or "",
        "status": state["status"],
        "amount": Decimal(str(state.get("amount") or "0")),
        "currency": state.get("currency") or "EUR",
        "provider_reference": state.get("reference"),
        "has_work": state.get("work") is not None,
        "created_at": datetime.fromisoformat(str(created)) if created else now,
        "updated_at": now,
        "version": int(state["version"]),
        "state": dumps(state),
    }


class PaymentReader:
    def __init__(self, session: Session) -> None:
        self.session = session

    def states(self, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        rows = self.session.execute(
            select(payments.c.id, payments.c.state).where(payments.c.id.in_(list(ids)))
        )
        return {str(i): loads(s) for i, s in rows}

    def by_orders(self, order_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        rows = self.session.execute(
            select(payments.c.order_id, payments.c.state).where(
                payments.c.order_id.in_(list(order_ids))
            )
        )
        return {str(o): loads(s) for o, s in rows}

    def history(self, payment_id: str) -> list[Recorded]:
        rows = self.session.execute(
            select(payment_events)
            .where(payment_events.c.payment_id == payment_id)
            .order_by(payment_events.c.version)
        )
        return [_recorded(r) for r in rows]

    def page(self, request: PageRequest, status: str | None) -> Page[dict[str, Any]]:
        statement = select(payments.c.id, payments.c.created_at, payments.c.state)
        if status:
            statement = statement.where(payments.c.status == status)
        if request.after is not None:
            if len(request.after) != 2:
                raise PaginationError("after is not a valid cursor", field="after")
            at = datetime.fromisoformat(str(request.after[0]))
            statement = statement.where(
                or_(
                    payments.c.created_at < at,
                    and_(payments.c.created_at == at, payments.c.id < str(request.after[1])),
                )
            )
        rows = self.session.execute(
            statement.order_by(payments.c.created_at.desc(), payments.c.id.desc()).limit(
                request.first + 1
            )
        ).all()
        items = rows[: request.first]
        return Page(
            items=[loads(r.state) for r in items],
            cursors=[encode_cursor([r.created_at.isoformat(), str(r.id)]) for r in items],
            has_next_page=len(rows) > request.first,
            has_previous_page=request.after is not None,
        )
