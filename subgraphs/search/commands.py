"""``python -m subgraphs search-reindex``: rebuild the search index from ``search_documents``.

The table is filled by the catalog's ProductUpserted events (a full refill: the catalog
re-publishes every product). This rebuilds the configured engine from it, with a progress bar.
"""

from __future__ import annotations

import sys
import time

from shared.bus.memory import InMemoryEventBus
from shared.settings import Settings
from subgraphs.search.app import create_subgraph
from subgraphs.search.services.reindex import Progress, reindex

BAR = 30


def _progress(started: float) -> Progress:
    def show(done: int, total: int) -> None:
        filled = BAR * done // max(total, 1)
        rate = done / max(time.monotonic() - started, 1e-9)
        sys.stderr.write(
            f"\r[{'#' * filled}{'.' * (BAR - filled)}] {done}/{total} documents, {rate:,.0f}/s"
        )
        sys.stderr.flush()

    return show


async def search_reindex(settings: Settings) -> int:
    app = create_subgraph(settings, InMemoryEventBus())
    assert app.engine is not None
    assert app.reader is not None
    await app.infra.migrate()
    started = time.monotonic()
    try:
        done = await reindex(app.reader, app.engine, progress=_progress(started))
    finally:
        await app.engine.close()
        await app.infra.database.dispose()
    sys.stderr.write("\n")
    print(f"reindexed {done} documents in {time.monotonic() - started:.2f}s ({app.engine.name})")
    return 0
