"""Wait for the worker threads of SQLite connections that failed to open.

aiosqlite 0.22 stops the worker thread of a connection that failed to open by queuing a close whose
future nobody awaits. The thread later hands that future its result through the event loop; when a
test ends first, pytest closes the loop and the thread raises ``RuntimeError: Event loop is closed``,
which pytest reports against whichever test runs next. Tests that make a connection fail on purpose
wrap the failing part in :func:`sqlite_workers_joined` so the threads finish while the loop still runs.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

_WORKER = "_connection_worker_thread"


@asynccontextmanager
async def sqlite_workers_joined() -> AsyncIterator[None]:
    before = set(threading.enumerate())
    yield
    started = [t for t in threading.enumerate() if t not in before and _WORKER in t.name]
    async with asyncio.timeout(10):
        for thread in started:
            # joined off the loop, so the loop stays free to run what the thread hands it
            await asyncio.to_thread(thread.join)
