"""Retention of the messaging tables: what would otherwise grow forever.

- Idempotency keys live ``AGORA_IDEMPOTENCY_TTL_HOURS`` (24 h, like Stripe's): after that the
  same key is a new request. A key still pending (a claim with no response yet) is a key like
  any other: its owner retried long ago or never will.
- Published outbox rows are kept ``AGORA_OUTBOX_RETENTION_HOURS`` (7 days) for inspection, then
  deleted. Unpublished rows are never deleted.
- Inbox rows are kept (they are the consumers' dedup memory; see README "Retention").

Deletes go in batches (``batch_size`` rows per statement and transaction) so no lock is held
long; ``run_once`` returns how many rows went. Every replica may run it: deletes are idempotent.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import CursorResult, delete, select

from shared.db import Database
from shared.messaging_tables import MessagingTables

log = logging.getLogger(__name__)


def _utc_now() -> datetime:
    return datetime.now(UTC)


class MessagingJanitor:
    def __init__(
        self,
        database: Database,
        tables: MessagingTables,
        *,
        idempotency_ttl: timedelta,
        outbox_retention: timedelta,
        interval: float = 600.0,
        batch_size: int = 1000,
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        self.database = database
        self.tables = tables
        self.idempotency_ttl = idempotency_ttl
        self.outbox_retention = outbox_retention
        self.interval = interval
        self.batch_size = batch_size
        self.clock = clock
        self._task: asyncio.Task[None] | None = None

    async def run_once(self) -> int:
        now = self.clock()
        keys, outbox = self.tables.idempotency, self.tables.outbox
        removed = 0
        for table, condition, order in (
            (keys, keys.c.created_at < now - self.idempotency_ttl, keys.c.created_at),
            (
                outbox,
                outbox.c.published_at < now - self.outbox_retention,
                outbox.c.seq,
            ),
        ):
            primary = list(table.primary_key.columns)
            while True:
                async with self.database.session() as session, session.begin():
                    batch = select(*primary).where(condition).order_by(order).limit(self.batch_size)
                    if len(primary) == 1:
                        statement = delete(table).where(primary[0].in_(batch.scalar_subquery()))
                    else:
                        rows = (await session.execute(batch)).all()
                        if not rows:
                            break
                        statement = delete(table).where(
                            *[
                                column.in_([row[i] for row in rows])
                                for i, column in enumerate(primary)
                            ],
                            condition,
                        )
                    result = await session.execute(statement)
                assert isinstance(result, CursorResult)
                removed += result.rowcount
                if result.rowcount < self.batch_size:
                    break
        return removed

    async def _loop(self) -> None:
        while True:
            try:
                removed = await self.run_once()
                if removed:
                    log.info("messaging rows past retention deleted", extra={"rows": removed})
            except Exception:
                log.exception("messaging retention failed; retrying later")
            await asyncio.sleep(self.interval)

    async def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._loop(), name="messaging-janitor")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
