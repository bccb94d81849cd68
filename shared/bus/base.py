"""The event bus interface and the retry policy its implementations share."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Protocol

from shared.events import Envelope

Handler = Callable[[Envelope], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Exponential backoff with full jitter; after ``max_attempts`` a message is dead-lettered."""

    max_attempts: int = 5
    base_delay: float = 0.05
    max_delay: float = 5.0

    def delay(self, attempt: int) -> float:
        """Seconds to wait after failed attempt number ``attempt`` (1-based)."""
        cap = min(self.max_delay, self.base_delay * (2 ** (attempt - 1)))
        return random.uniform(cap / 2, cap)  # noqa: S311 - jitter, not cryptography


@dataclass(frozen=True, slots=True)
class DeadLetter:
    group: str
    envelope: Envelope
    error: str
    attempts: int


class EventBus(Protocol):
    """Publishes envelopes; delivers them to consumer groups (each group gets every event of the
    types it subscribed to, once per group, at least once) and to live listeners (broadcast to
    every process, no durability — for GraphQL subscriptions)."""

    async def publish(self, envelope: Envelope) -> None:
        """Return once the bus holds the envelope durably (for its kind of durability)."""

    def subscribe(self, group: str, event_types: Iterable[str], handler: Handler) -> None:
        """Register ``handler`` for ``group``; call before ``start``."""

    def listen(self, event_types: Iterable[str]) -> AsyncIterator[Envelope]:
        """Yield live events of ``event_types`` published from now on (every process sees them)."""

    async def dead_letters(self, group: str) -> list[DeadLetter]:
        """Messages ``group`` gave up on after its retries."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def ping(self) -> None:
        """Raise unless the bus can accept messages (readiness)."""
