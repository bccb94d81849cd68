"""The background task that releases expired reservations (started and stopped with the app)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import UTC, datetime

from subgraphs.inventory.services.expire_reservations import expire_reservations
from subgraphs.inventory.settings import InventorySettings
from subgraphs.inventory.uow import InventoryUnitOfWork

log = logging.getLogger(__name__)


def utc_now() -> datetime:
    return datetime.now(UTC)


class ReservationSweeper:
    """Every ``settings.sweep_interval`` seconds, expires what is due (``run_once``). The clock
    is injected so tests move time instead of waiting."""

    def __init__(
        self,
        uow_factory: Callable[[], InventoryUnitOfWork],
        settings: InventorySettings,
        *,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.uow_factory = uow_factory
        self.settings = settings
        self.clock = clock
        self._task: asyncio.Task[None] | None = None

    async def run_once(self) -> int:
        """Expire every due reservation (in batches); how many were expired."""
        total = 0
        while True:
            expired = await expire_reservations(
                self.uow_factory, settings=self.settings, now=self.clock
            )
            total += expired
            if expired < self.settings.sweep_batch:
                return total

    async def _loop(self) -> None:
        while True:
            try:
                expired = await self.run_once()
                if expired:
                    log.info("expired reservations released", extra={"count": expired})
            except Exception:
                log.exception("reservation sweep failed; trying again next round")
            await asyncio.sleep(self.settings.sweep_interval)

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    async def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._loop(), name="inventory-sweeper")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
