"""The outbox relay: publishes committed outbox rows to the bus, in order, at least once.

Each round (1) claims a batch of unpublished rows with a short lease, in a short transaction
(``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so several replicas never claim the same rows),
(2) publishes them with no transaction open — consumers of the in-process bus may write to the
same database — and (3) marks them published. A crash between (2) and (3) leaves the rows
unpublished; once the lease runs out they are published again and consumers drop the duplicate
through their inbox. Nothing is lost, nothing is applied twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update

from shared.bus.base import EventBus
from shared.db import Database
from shared.events import Envelope, loads
from shared.messaging_tables import MessagingTables
from shared.metrics import EVENTS_PUBLISHED

log = logging.getLogger(__name__)


class OutboxRelay:
    def __init__(
        self,
        database: Database,
        tables: MessagingTables,
        bus: EventBus,
        *,
        interval: float = 0.2,
        batch_size: int = 100,
        lease: timedelta = timedelta(seconds=30),
    ) -> None:
        self.database = database
        self.tables = tables
        self.bus = bus
        self.interval = interval
        self.batch_size = batch_size
        self.lease = lease
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False

    def wake(self) -> None:
        """Ask the relay to look at the outbox now (called after a commit that recorded events)."""
        self._wake.set()

    async def _claim(self) -> Sequence[Any]:
        outbox = self.tables.outbox
        now = datetime.now(UTC)
        query = (
            select(outbox)
            .where(
                outbox.c.published_at.is_(None),
                or_(outbox.c.claimed_until.is_(None), outbox.c.claimed_until < now),
            )
            .order_by(outbox.c.seq)
            .limit(self.batch_size)
        )
        if self.database.dialect == "postgresql":
            query = query.with_for_update(skip_locked=True)
        async with self.database.session() as session, session.begin():
            rows = (await session.execute(query)).mappings().all()
            if rows:
                await session.execute(
                    update(outbox)
                    .where(outbox.c.seq.in_([r["seq"] for r in rows]))
                    .values(claimed_until=now + self.lease)
                )
        return rows

    async def _finish(
        self, claimed: list[int], published: list[int], failed: int | None, error: str | None
    ) -> None:
        outbox = self.tables.outbox
        async with self.database.session() as session, session.begin():
            if published:
                await session.execute(
                    update(outbox)
                    .where(outbox.c.seq.in_(published))
                    .values(
                        published_at=datetime.now(UTC),
                        claimed_until=None,
                        attempts=outbox.c.attempts + 1,
                    )
                )
            if failed is not None:
                # Release this batch's unpublished rows (not other replicas' claims) for retry.
                unpublished = [seq for seq in claimed if seq not in set(published)]
                await session.execute(
                    update(outbox).where(outbox.c.seq.in_(unpublished)).values(claimed_until=None)
                )
                await session.execute(
                    update(outbox)
                    .where(outbox.c.seq == failed)
                    .values(attempts=outbox.c.attempts + 1, last_error=error)
                )

    async def run_once(self) -> int:
        """Publish one batch of unpublished rows; return how many were published."""
        rows = await self._claim()
        published: list[int] = []
        failed: int | None = None
        error: str | None = None
        for row in rows:
            envelope = Envelope(
                id=row["event_id"],
                type=row["event_type"],
                source=row["source"],
                key=row["event_key"],
                occurred_at=_aware(row["occurred_at"]),
                payload=loads(row["payload"]),
            )
            try:
                await self.bus.publish(envelope)
            except Exception as exc:  # noqa: BLE001 - keep the row; retry later, in order
                log.warning(
                    "outbox publish failed", extra={"event_id": envelope.id, "error": repr(exc)}
                )
                failed, error = row["seq"], repr(exc)[:2000]
                break
            EVENTS_PUBLISHED.labels(envelope.source, envelope.type).inc()
            published.append(row["seq"])
        if rows:
            await self._finish([r["seq"] for r in rows], published, failed, error)
        return len(published)

    async def run(self) -> None:
        while not self._stopping:
            # Cleared before the round: a commit that wakes the relay during the round is seen
            # at once afterwards (cleared after it, the wake-up would wait out the interval).
            self._wake.clear()
            try:
                published = await self.run_once()
            except Exception:
                log.exception("outbox relay iteration failed")
                published = 0
            if published >= self.batch_size or self._stopping:
                continue
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.interval):
                    await self._wake.wait()

    async def start(self) -> None:
        if self._task is None:
            self._stopping = False
            self._task = asyncio.create_task(self.run(), name="outbox-relay")

    async def stop(self, *, grace: float = 5.0) -> None:
        """Let the round in progress finish (its transaction closes cleanly), then stop; cancel
        only if it has not finished within ``grace`` seconds. Unpublished rows stay for later."""
        task, self._task = self._task, None
        if task is None:
            return
        self._stopping = True
        self._wake.set()
        await asyncio.wait({task}, timeout=grace)
        while not task.done():  # 3.11's wait_for can swallow a cancel
            task.cancel()
            await asyncio.wait({task}, timeout=0.1)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
