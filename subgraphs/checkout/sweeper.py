"""The background task that deletes expired guest carts (started and stopped with the app)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import UTC, datetime

from subgraphs.checkout.services.cart_changes import UowFactory
from subgraphs.checkout.services.expire_carts import delete_expired_carts

log = logging.getLogger(__name__)


def utc_now() -> datetime:
    return datetime.now(UTC)


class CartSweeper:
    """Every ``interval`` seconds, deletes the guest carts that expired (``run_once``). The clock
    is injected so tests move time instead of waiting. Every replica may sweep: deleting what
    is already gone deletes nothing."""

    def __init__(
        self,
        uow_factory: UowFactory,
        *,
        interval: float,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.uow_factory = uow_factory
        self.interval = interval
        self.clock = clock
        self._task: asyncio.Task[None] | None = None

    async def run_once(self) -> int:
        """Delete every cart expired by now; how many."""
        return await delete_expired_carts(self.uow_factory, at=self.clock())

    async def _loop(self) -> None:
        while True:
            try:
                deleted = await self.run_once()
                if deleted:
                    log.info("expired carts deleted", extra={"count": deleted})
            except Exception:
                log.exception("cart sweep failed; trying again next round")
            await asyncio.sleep(self.interval)

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    async def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._loop(), name="checkout-cart-sweeper")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
