"""Use case: keep the engine's index in step with the stored documents.

Event handlers mark the products they changed (after their transaction commits); the indexer
reads those products' documents back from the database and writes them to the engine in one
batch, then commits the engine — at most ``interval`` seconds after the first change, so a
catalog change is searchable well within a second. Reading back (instead of trusting what the
handler saw) makes the index converge to the table whatever order the batches run in.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Iterable

from subgraphs.search.adapters.engine import SearchEngine
from subgraphs.search.uow import SearchUnitOfWork

log = logging.getLogger(__name__)
READ_BATCH = 500


class Indexer:
    def __init__(
        self,
        engine: SearchEngine,
        uow_factory: Callable[[], SearchUnitOfWork],
        *,
        interval: float = 0.25,
    ) -> None:
        self.engine = engine
        self.uow_factory = uow_factory
        self.interval = interval
        self._dirty: set[str] = set()
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()

    def mark(self, product_ids: Iterable[str]) -> None:
        """These products changed (their transaction committed): refresh them soon."""
        self._dirty.update(product_ids)
        self._wake.set()

    @property
    def pending(self) -> int:
        return len(self._dirty)

    async def flush(self) -> int:
        """Write every marked product to the engine and commit it; return how many."""
        async with self._lock:
            dirty, self._dirty = sorted(self._dirty), set()
            if not dirty:
                return 0
            try:
                for start in range(0, len(dirty), READ_BATCH):
                    batch = dirty[start : start + READ_BATCH]
                    async with self.uow_factory() as uow:
                        documents = await uow.documents.documents(batch)
                    await self.engine.delete_many([p for p, d in documents.items() if d is None])
                    await self.engine.upsert_many([d for d in documents.values() if d is not None])
                await self.engine.commit()
            except BaseException:
                self._dirty.update(dirty)  # try again on the next round
                raise
            return len(dirty)

    async def _run(self) -> None:
        while True:
            await self._wake.wait()
            await asyncio.sleep(self.interval)  # gather the burst into one engine commit
            self._wake.clear()
            try:
                await self.flush()
            except Exception:
                log.exception("search indexing failed; retrying")
                self._wake.set()

    async def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="search-indexer")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        with contextlib.suppress(Exception):
            await self.flush()
