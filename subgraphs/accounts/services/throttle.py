"""Per-client-IP throttling of failed sign-ins (in memory: per process, like the embedded
rate limits; a Redis-backed limiter belongs with the production wiring)."""

from __future__ import annotations

from collections import deque
from datetime import datetime, timedelta


class FailureLimiter:
    """At most ``limit`` failures per key within ``window``; then the key is refused until the
    oldest failure leaves the window."""

    def __init__(self, limit: int, window: timedelta = timedelta(minutes=15)) -> None:
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

    def blocked(self, key: str, at: datetime) -> bool:
        return len(self._recent(key, at)) >= self.limit

    def fail(self, key: str, at: datetime) -> None:
        self._recent(key, at)
        self._failures.setdefault(key, deque()).append(at)
