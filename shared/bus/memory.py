"""The in-process event bus: the embedded default.

``publish`` delivers to every subscribed group before it returns (retrying with backoff, then
dead-lettering), so the relay marks an outbox row published only once every consumer has
handled it or given up: a crash before that re-publishes the row, and the consumers' inbox drops
the duplicate. Nothing is lost on restart, nothing applied twice.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass

from shared.bus.base import DeadLetter, Handler, RetryPolicy
from shared.events import Envelope

log = logging.getLogger(__name__)
_LISTENER_QUEUE = 1000


@dataclass(frozen=True, slots=True)
class _Subscription:
    group: str
    event_types: frozenset[str]
    handler: Handler


class InMemoryEventBus:
    def __init__(self, retry: RetryPolicy | None = None) -> None:
        self.retry = retry or RetryPolicy()
        self._subscriptions: list[_Subscription] = []
        self._listeners: list[tuple[frozenset[str], asyncio.Queue[Envelope]]] = []
        self._dead: dict[str, list[DeadLetter]] = defaultdict(list)
        self._running = False

    def subscribe(self, group: str, event_types: Iterable[str], handler: Handler) -> None:
        self._subscriptions.append(_Subscription(group, frozenset(event_types), handler))

    async def start(self) -> None:
        self._running = True

    async def stop(self) -> None:
        self._running = False

    async def ping(self) -> None:
        return None

    async def publish(self, envelope: Envelope) -> None:
        for types, queue in list(self._listeners):
            if envelope.type in types:
                if queue.full():
                    log.warning("live listener is too slow; dropping its oldest event")
                    queue.get_nowait()
                queue.put_nowait(envelope)
        targets = [s for s in self._subscriptions if envelope.type in s.event_types]
        if targets:
            await asyncio.gather(*(self._deliver(s, envelope) for s in targets))

    async def _deliver(self, subscription: _Subscription, envelope: Envelope) -> None:
        for attempt in range(1, self.retry.max_attempts + 1):
            try:
                await subscription.handler(envelope)
                return
            except Exception as exc:  # noqa: BLE001 - a consumer's failure must not stop the bus
                if attempt == self.retry.max_attempts:
                    log.error(
                        "event dead-lettered",
                        extra={
                            "group": subscription.group,
                            "event_id": envelope.id,
                            "error": repr(exc),
                        },
                    )
                    self._dead[subscription.group].append(
                        DeadLetter(subscription.group, envelope, repr(exc), attempt)
                    )
                    return
                await asyncio.sleep(self.retry.delay(attempt))

    async def listen(self, event_types: Iterable[str]) -> AsyncIterator[Envelope]:
        queue: asyncio.Queue[Envelope] = asyncio.Queue(maxsize=_LISTENER_QUEUE)
        entry = (frozenset(event_types), queue)
        self._listeners.append(entry)
        try:
            while True:
                yield await queue.get()
        finally:
            self._listeners.remove(entry)

    async def dead_letters(self, group: str) -> list[DeadLetter]:
        return list(self._dead[group])
