"""Use case: rebuild the engine's index from the stored documents (``search_documents``).

The table is the source of truth; the index can always be thrown away and rebuilt. Documents are
read by batches in id order and written to a cleared engine, committed once at the end.
"""

from __future__ import annotations

from collections.abc import Callable

from subgraphs.search.adapters.engine import SearchEngine
from subgraphs.search.uow import SearchUnitOfWork

Progress = Callable[[int, int], None]
BATCH = 1000


async def reindex(
    uow_factory: Callable[[], SearchUnitOfWork],
    engine: SearchEngine,
    *,
    batch: int = BATCH,
    progress: Progress | None = None,
) -> int:
    """Rebuild the index; ``progress(done, total)`` after each batch. Returns documents indexed."""
    async with uow_factory() as uow:
        total = await uow.documents.searchable_count()
    await engine.clear()
    done, after = 0, ""
    while True:
        async with uow_factory() as uow:
            ids = await uow.documents.searchable_ids(after=after, limit=batch)
            if not ids:
                break
            documents = await uow.documents.documents(ids)
        await engine.upsert_many([d for d in documents.values() if d is not None])
        done += len(ids)
        after = ids[-1]
        if progress is not None:
            progress(done, max(total, done))
    await engine.commit()
    return done


async def index_is_stale(uow_factory: Callable[[], SearchUnitOfWork], engine: SearchEngine) -> bool:
    """Whether the index misses documents the table has (e.g. a new engine, a lost index)."""
    async with uow_factory() as uow:
        expected = await uow.documents.searchable_count()
    return await engine.count() != expected
