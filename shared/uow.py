"""The unit of work: one transaction, its repositories, and the events it records.

``commit`` writes every recorded event to the outbox in the same transaction as the state change,
so an event exists if and only if the change does. Repositories never commit; services do, once.
A use case given an idempotency key claims it first (``claim_idempotency_key``) and ``commit``
stores its response with the change (``shared.idempotency``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Self

from sqlalchemy import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession

from shared.db import Database
from shared.events import DomainEvent, Envelope, dumps
from shared.idempotency import IdempotentRequest, answer, claim
from shared.messaging_tables import MessagingTables
from shared.sql import insert_ignoring_conflicts


class UnitOfWork:
    """Base unit of work. Subgraphs subclass it and build their repositories in ``open_repositories``."""

    def __init__(
        self,
        database: Database,
        tables: MessagingTables,
        *,
        source: str,
        on_commit: Callable[[], None] | None = None,
    ) -> None:
        self.database = database
        self.tables = tables
        self.source = source
        self._on_commit = on_commit
        self._session: AsyncSession | None = None
        self._pending: list[Envelope] = []
        self._claimed: IdempotentRequest | None = None

    @property
    def session(self) -> AsyncSession:
        if self._session is None:
            raise RuntimeError("the unit of work is not open: use `async with uow:`")
        return self._session

    def open_repositories(self, session: AsyncSession) -> None:
        """Hook for subclasses: build repositories on ``session``."""

    async def __aenter__(self) -> Self:
        if self._session is not None:
            raise RuntimeError("a unit of work is entered once")
        self._session = self.database.session()
        self._pending = []
        self._claimed = None
        self.open_repositories(self._session)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        session = self.session
        try:
            if session.in_transaction():
                await session.rollback()
        finally:
            await session.close()
            self._session = None
            self._pending = []
            self._claimed = None

    def record(self, *events: DomainEvent) -> None:
        """Record events to publish if (and only if) this unit of work commits."""
        self._pending.extend(Envelope.from_event(e, source=self.source) for e in events)

    @property
    def pending_events(self) -> tuple[Envelope, ...]:
        return tuple(self._pending)

    async def claim_idempotency_key(
        self, request: IdempotentRequest | None
    ) -> dict[str, Any] | None:
        """Claim ``request``'s key in this transaction, or get the response stored for it.

        None (also without a request): do the work, then ``commit(idempotent_response=...)``
        stores the response with the change — a rollback frees the key. A dict: a request with
        this key and the same input committed before; return its result and write nothing.
        Raises ``IdempotencyKeyReused`` when that request had other input. Call it first in the
        unit of work: a concurrent request with the key waits here until the first one ends.
        """
        if request is None:
            return None
        if self._claimed is not None:
            raise RuntimeError("a unit of work claims one idempotency key")
        stored = await claim(self.session, self.tables.idempotency, self.database.dialect, request)
        if stored is None:
            self._claimed = request
        return stored

    async def commit(self, *, idempotent_response: Mapping[str, Any] | None = None) -> None:
        """Write the recorded events and commit. ``idempotent_response`` (e.g. the created id)
        is stored for the claimed idempotency key, if any; it is required when one was claimed."""
        session = self.session
        if self._claimed is not None:
            if idempotent_response is None:
                raise RuntimeError("commit the response of the claimed idempotency key")
            await answer(session, self.tables.idempotency, self._claimed, idempotent_response)
        if self._pending:
            await session.execute(
                self.tables.outbox.insert(),
                [
                    {
                        "event_id": e.id,
                        "event_type": e.type,
                        "source": e.source,
                        "event_key": e.key,
                        "payload": dumps(dict(e.payload)),
                        "occurred_at": e.occurred_at,
                        "attempts": 0,
                    }
                    for e in self._pending
                ],
            )
        await session.commit()
        had_events = bool(self._pending)
        self._pending = []
        self._claimed = None
        if had_events and self._on_commit is not None:
            self._on_commit()

    async def rollback(self) -> None:
        self._pending = []
        self._claimed = None
        await self.session.rollback()

    async def claim_inbox(self, consumer: str, envelope: Envelope) -> bool:
        """Mark ``envelope`` as processed by ``consumer`` in this transaction.

        Returns False when it was processed before: the caller then does nothing. Two concurrent
        deliveries cannot both commit: the primary key makes the second one fail.
        """
        statement = insert_ignoring_conflicts(
            self.database.dialect,
            self.tables.inbox,
            {
                "consumer": consumer,
                "event_id": envelope.id,
                "event_type": envelope.type,
                "processed_at": datetime.now(UTC),
            },
        )
        result = await self.session.execute(statement)
        assert isinstance(result, CursorResult)
        return result.rowcount == 1
