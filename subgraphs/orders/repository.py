"""The orders subgraph's only SQL: the event store, the projection, order numbers, the
notification outbox (async, in units of work) and the readers GraphQL uses."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import CursorResult, and_, delete, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from shared.events import dumps, loads
from shared.pagination import Page, PageRequest, PaginationError, encode_cursor
from subgraphs.orders.domain.models import notifications, order_events, order_numbers, orders
from subgraphs.orders.domain.order import Order, Recorded

FIRST_NUMBER = 1001


def _recorded(row: Any) -> Recorded:
    return Recorded(
        type=str(row.type),
        data=loads(row.data),
        version=int(row.version),
        actor=str(row.actor),
        at=row.occurred_at,
    )


class OrderStore:
    """Loads orders from their events; appends new events and updates the projection."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def events(self, order_id: str) -> list[Recorded]:
        rows = await self.session.execute(
            select(order_events)
            .where(order_events.c.order_id == order_id)
            .order_by(order_events.c.version)
        )
        return [_recorded(r) for r in rows]

    async def load(self, order_id: str) -> Order:
        return Order.load(order_id, await self.events(order_id))

    async def id_by_reservation(self, reservation_id: str) -> str | None:
        found = await self.session.execute(
            select(orders.c.id).where(orders.c.reservation_id == reservation_id)
        )
        value = found.scalar_one_or_none()
        return None if value is None else str(value)

    async def id_by_checkout(self, checkout_id: str) -> str | None:
        found = await self.session.execute(
            select(orders.c.id).where(orders.c.checkout_id == checkout_id)
        )
        value = found.scalar_one_or_none()
        return None if value is None else str(value)

    async def save(self, order: Order) -> None:
        """Append ``order.pending`` (a duplicate version fails the transaction: optimistic
        concurrency) and write the projection."""
        if not order.pending:
            return
        await self.session.execute(
            insert(order_events),
            [
                {
                    "order_id": order.id,
                    "version": e.version,
                    "type": e.type,
                    "data": dumps(dict(e.data)),
                    "actor": e.actor[:120],
                    "occurred_at": e.at,
                }
                for e in order.pending
            ],
        )
        await self.project(order.id, order.state, first=order.pending[0].version == 1)
        order.pending.clear()

    async def project(self, order_id: str, state: dict[str, Any], *, first: bool) -> None:
        values = projection_row(order_id, state)
        if first:
            await self.session.execute(insert(orders).values(**values))
        else:
            await self.session.execute(
                update(orders).where(orders.c.id == order_id).values(**values)
            )

    async def next_number(self) -> str:
        """The next order number: one conditional UPDATE … RETURNING (the row is created once)."""
        bumped = await self.session.execute(
            update(order_numbers)
            .where(order_numbers.c.name == "order")
            .values(value=order_numbers.c.value + 1)
            .returning(order_numbers.c.value)
        )
        value = bumped.scalar_one_or_none()
        if value is None:
            await self.session.execute(
                insert(order_numbers).values(name="order", value=FIRST_NUMBER)
            )
            return str(FIRST_NUMBER)
        return str(value)

    async def all_ids(self) -> list[str]:
        rows = await self.session.execute(select(order_events.c.order_id).distinct())
        return [str(r) for r in rows.scalars()]

    async def of_customer(self, customer_id: str) -> list[str]:
        rows = await self.session.execute(
            select(orders.c.id).where(orders.c.customer_id == customer_id)
        )
        return [str(r) for r in rows.scalars()]

    async def replace_projection(self, order_id: str, state: dict[str, Any]) -> None:
        await self.session.execute(delete(orders).where(orders.c.id == order_id))
        await self.session.execute(insert(orders).values(**projection_row(order_id, state)))

    async def rewrite_events(self, order_id: str, events: Sequence[Recorded]) -> None:
        """GDPR erasure only: the stream with personal data replaced (same versions)."""
        for e in events:
            await self.session.execute(
                update(order_events)
                .where(order_events.c.order_id == order_id, order_events.c.version == e.version)
                .values(data=dumps(dict(e.data)))
            )


def projection_row(order_id: str, state: dict[str, Any]) -> dict[str, Any]:
    placed = state.get("placed_at")
    updated = state.get("updated_at") or placed
    return {
        "id": order_id,
        "number": state.get("number") or "",
        "status": state["status"],
        "payment_status": state["payment_status"],
        "customer_id": state.get("customer_id"),
        "email": (state.get("email") or "")[:254],
        "checkout_id": state.get("checkout_id") or order_id,
        "reservation_id": state.get("reservation_id") or "",
        "total": Decimal(str(state.get("total") or "0")),
        "currency": state.get("currency") or "EUR",
        "placed_at": datetime.fromisoformat(str(placed)),
        "updated_at": datetime.fromisoformat(str(updated)),
        "version": int(state["version"]),
        "state": dumps(state),
    }


class NotificationOutbox:
    """The embedded Notification port: messages queued for customers, once per (order, kind)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def queue(self, values: dict[str, Any]) -> bool:
        exists = await self.session.execute(
            select(notifications.c.id).where(
                notifications.c.order_id == values["order_id"],
                notifications.c.kind == values["kind"],
            )
        )
        if exists.first() is not None:
            return False
        await self.session.execute(insert(notifications).values(**values))
        return True

    async def listing(self, limit: int = 50) -> list[dict[str, Any]]:
        rows = await self.session.execute(
            select(notifications).order_by(notifications.c.created_at.desc()).limit(limit)
        )
        return [dict(r) for r in rows.mappings()]

    async def anonymize(self, order_ids: Sequence[str], recipient: str) -> None:
        await self.session.execute(
            update(notifications)
            .where(notifications.c.order_id.in_(list(order_ids)))
            .values(recipient=recipient, body="(erased)")
        )


# ------------------------------------------------------------------------------------------------
# Readers for GraphQL (sync, inside Database.read)


@dataclass(frozen=True, slots=True)
class OrderListFilter:
    status: str | None = None
    payment_status: str | None = None
    customer_id: str | None = None
    search: str | None = None


def _cursor(placed_at: datetime, order_id: str) -> str:
    return encode_cursor([placed_at.isoformat(), order_id])


class OrderReader:
    def __init__(self, session: Session) -> None:
        self.session = session

    def states(self, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        rows = self.session.execute(
            select(orders.c.id, orders.c.state).where(orders.c.id.in_(list(ids)))
        )
        return {str(i): loads(s) for i, s in rows}

    def history(self, order_id: str) -> list[Recorded]:
        rows = self.session.execute(
            select(order_events)
            .where(order_events.c.order_id == order_id)
            .order_by(order_events.c.version)
        )
        return [_recorded(r) for r in rows]

    def page(
        self, request: PageRequest, where: OrderListFilter
    ) -> tuple[Page[dict[str, Any]], int]:
        """Newest first, keyset on (placed_at, id); with the total count of the filter."""
        conditions = []
        if where.status:
            conditions.append(orders.c.status == where.status)
        if where.payment_status:
            conditions.append(orders.c.payment_status == where.payment_status)
        if where.customer_id:
            conditions.append(orders.c.customer_id == where.customer_id)
        if where.search:
            term = where.search.strip().lstrip("#")
            conditions.append(
                or_(orders.c.number == term, func.lower(orders.c.email) == term.lower())
            )
        total = int(
            self.session.execute(
                select(func.count()).select_from(orders).where(and_(True, *conditions))
            ).scalar_one()
        )
        statement = select(orders.c.id, orders.c.placed_at, orders.c.state).where(
            and_(True, *conditions)
        )
        if request.after is not None:
            if len(request.after) != 2:
                raise PaginationError("after is not a valid cursor", field="after")
            placed, last_id = request.after
            try:
                at = datetime.fromisoformat(str(placed))
            except ValueError as exc:
                raise PaginationError("after is not a valid cursor", field="after") from exc
            statement = statement.where(
                or_(
                    orders.c.placed_at < at,
                    and_(orders.c.placed_at == at, orders.c.id < str(last_id)),
                )
            )
        rows = self.session.execute(
            statement.order_by(orders.c.placed_at.desc(), orders.c.id.desc()).limit(
                request.first + 1
            )
        ).all()
        items = rows[: request.first]
        return (
            Page(
                items=[loads(r.state) for r in items],
                cursors=[_cursor(r.placed_at, str(r.id)) for r in items],
                has_next_page=len(rows) > request.first,
                has_previous_page=request.after is not None,
            ),
            total,
        )


def rowcount(result: Any) -> int:
    assert isinstance(result, CursorResult)
    return int(result.rowcount)
