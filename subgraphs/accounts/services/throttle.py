"""Counting failed sign-ins per key (a client IP) in a sliding window.

``FailureLimiter`` is the port; ``MemoryFailureLimiter`` (one process: the embedded default)
and ``adapters/redis_throttle.RedisFailureLimiter`` (every replica shares the count: production,
when ``AGORA_REDIS_URL`` is set) implement it.
"""

from __future__ import annotations

from collections import deque
from datetime import datetime, timedelta
from typing import Protocol

WINDOW = timedelta(minutes=15)


class FailureLimiter(Protocol):
    """At most ``limit`` failures per key within the window; then the key is refused until the
    oldest failure leaves the window."""

    limit: int

    async def blocked(self, key: str, at: datetime) -> bool: ...

    async def fail(self, key: str, at: datetime) -> None: ...


class MemoryFailureLimiter:
    def __init__(self, limit: int, window: timedelta = WINDOW) -> None:
        self.limit = limit
        self.window = window
        self._failures: dict[str, deque[datetime]] = {}

    def _recent(self, key: str, at: datetime) -> deque[datetime]:
        failures = self._failures.setdefault(key, deque())
        while failures and at - failures[0] >= self.window:
            failures.popleft()
        if not failures:
            del self._failures[key]
            return deque()
        return failures

    async def blocked(self, key: str, at: datetime) -> bool:
        return len(self._recent(key, at)) >= self.limit

    async def fail(self, key: str, at: datetime) -> None:
        self._recent(key, at)
        self._failures.setdefault(key, deque()).append(at)
