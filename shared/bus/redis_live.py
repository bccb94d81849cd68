"""Live events for GraphQL subscriptions on the Redis Streams bus: one ``XREAD`` loop per bus
fanning out to this process's listeners (see ``shared.bus.redis_streams`` for the semantics)."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from redis.exceptions import RedisError
from redis.typing import KeyT, StreamIdT

from shared.bus.redis_replies import (
    LISTENER_QUEUE,
    cancel_and_wait,
    decode,
    describe,
    streams_of,
    text,
)
from shared.events import Envelope

if TYPE_CHECKING:
    from shared.bus.redis_streams import RedisStreamsEventBus

log = logging.getLogger("shared.bus.redis_streams")


class LiveFeed:
    """One ``XREAD`` loop fanning live events out to this process's listeners."""

    def __init__(self, bus: RedisStreamsEventBus) -> None:
        self.bus = bus
        self._listeners: list[tuple[frozenset[str], asyncio.Queue[Envelope | None]]] = []
        self._positions: dict[KeyT, StreamIdT] = {}  # stream → last id seen
        self._task: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()

    async def open(self, streams: frozenset[str]) -> asyncio.Queue[Envelope | None]:
        queue: asyncio.Queue[Envelope | None] = asyncio.Queue(maxsize=LISTENER_QUEUE)
        self._listeners.append((streams, queue))  # first, so a concurrent close keeps its streams
        try:
            async with self._lock:
                new = False
                for stream in streams:
                    if stream not in self._positions:
                        last = await self.bus.redis.xrevrange(stream, count=1)
                        self._positions[stream] = text(last[0][0]) if last else "0-0"
                        new = True
                if new or self._task is None:
                    await self._restart()  # the running XREAD does not read the new streams
        except BaseException:
            await self.close(queue)
            raise
        return queue

    async def close(self, queue: asyncio.Queue[Envelope | None]) -> None:
        # Forget the listener before any await: a second cancellation cannot leave it behind.
        self._listeners = [(s, q) for s, q in self._listeners if q is not queue]
        wanted = set().union(*(s for s, _ in self._listeners))
        self._positions = {s: p for s, p in self._positions.items() if s in wanted}
        if not self._listeners:
            async with self._lock:
                if not self._listeners:
                    await self._cancel()

    async def stop(self) -> None:
        async with self._lock:
            await self._cancel()
            for _, queue in self._listeners:
                if queue.full():
                    queue.get_nowait()
                queue.put_nowait(None)  # ends the listener's iteration
            self._listeners = []
            self._positions = {}

    async def _restart(self) -> None:
        await self._cancel()
        if self._positions:
            self._task = asyncio.create_task(self._run(), name="redis-bus:live")

    async def _cancel(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            await cancel_and_wait([task])

    async def _run(self) -> None:
        failures = 0
        while True:
            try:
                reply = await self.bus.redis.xread(
                    dict(self._positions), count=self.bus.batch_size * 10, block=self.bus.block_ms
                )
            except RedisError as exc:
                failures += 1
                log.warning("live event feed failed; retrying", extra={"error": describe(exc)})
                await asyncio.sleep(self.bus.retry.delay(min(failures, 10)))
                continue
            failures = 0
            for stream, entries in streams_of(reply):
                if stream not in self._positions:
                    continue
                for message_id, fields in entries:
                    self._positions[stream] = message_id
                    try:
                        envelope = decode(fields)
                    except (ValueError, KeyError, TypeError) as exc:
                        log.warning("undecodable live event skipped", extra={"error": repr(exc)})
                        continue
                    self._deliver(stream, envelope)

    def _deliver(self, stream: str, envelope: Envelope) -> None:
        for streams, queue in self._listeners:
            if stream in streams:
                if queue.full():
                    log.warning("live listener is too slow; dropping its oldest event")
                    queue.get_nowait()
                queue.put_nowait(envelope)
