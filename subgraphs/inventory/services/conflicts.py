"""Transient write conflicts: retried by the use cases, never shown to callers.

PostgreSQL aborts one of two transactions that deadlock (40P01) or fail serialization (40001);
SQLite reports a writer that waited past its busy timeout as "database is locked". The whole
unit of work is rolled back, so running it again from the start is safe.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy.exc import DBAPIError

T = TypeVar("T")
RETRYABLE_SQLSTATES = frozenset({"40001", "40P01"})


class Contention(Exception):
    """A use case could not settle against concurrent writers; safe to run again."""


def is_transient(error: BaseException) -> bool:
    if isinstance(error, Contention):
        return True
    if not isinstance(error, DBAPIError):
        return False
    original = error.orig
    code = getattr(original, "sqlstate", None) or getattr(original, "pgcode", None)
    if code in RETRYABLE_SQLSTATES:
        return True
    return "database is locked" in str(original)


async def retrying(attempt: Callable[[], Awaitable[T]], *, attempts: int) -> T:
    """``attempt()``, run again (after a short random pause) while it fails transiently."""
    for number in range(1, attempts + 1):
        try:
            return await attempt()
        except Exception as exc:
            if number == attempts or not is_transient(exc):
                raise
            await asyncio.sleep(random.uniform(0, 0.002 * number))  # noqa: S311 - jitter
    raise AssertionError("unreachable")
