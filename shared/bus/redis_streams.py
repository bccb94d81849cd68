"""The Redis Streams event bus: the production wiring.

Keys
- ``<stream_prefix><EventType>``: one stream per event type. An entry has one field, ``envelope``
  (``Envelope.to_json()``); ``publish`` trims with ``MAXLEN ~ maxlen`` (``None``: never trim).
- ``<dead_letter_prefix><group>``: what ``group`` gave up on (``envelope``, ``error``, ``attempts``,
  ``stream``, ``message_id``). Never trimmed: it is small, and an operator empties it.

Consumer groups: a subgraph is one group on every stream it subscribed to, and each process is
one consumer in it (``host-pid-random``). One task per group reads all the group's streams with a
single ``XREADGROUP``, calls the handlers, then ``XACK``s. A failing handler is retried in process
with the ``RetryPolicy`` backoff; after ``max_attempts`` the message goes to the dead-letter stream
and is acked, in one MULTI. Delivery is at least once per group: handlers must be idempotent (see
``shared.consumer``).

Groups are created at id ``0``, not ``$``: a group that does not exist yet (a subgraph deployed
after its publishers, or Redis restarted empty) then receives every event the stream still holds,
instead of silently missing what was published before it first started. The cost is that a brand
new group replays the retained history (bounded by ``maxlen``); the inbox makes that harmless.

Crashes: a message read but never acked (process killed, bus stopped mid-handler) stays pending.
Every ``claim_idle_ms / 2`` each consumer ``XAUTOCLAIM`` s messages idle longer than
``claim_idle_ms`` and handles them again; the delivery count (``XPENDING``) counts the earlier
deliveries as attempts, and a message already delivered ``max_attempts`` times is dead-lettered
without running the handler again, so a message that kills its consumer cannot loop forever.
``claim_idle_ms`` must exceed the slowest handler run (with its retries), or a slow message is
handled twice. ``stop`` cancels in-flight handlers (their messages are reclaimed later) and
forgets this consumer in its groups when it holds no pending message.

``block_ms`` must stay below the client's ``socket_timeout`` (redis-py 8: 5 s by default), or every
blocking read times out.

Live listeners (GraphQL subscriptions) share one ``XREAD`` loop per bus (not one connection per
subscription): each listener starts at the streams' last id when it opens — ``$`` without the gap
between opening and the first read — and gets every later event, in every process. A listener
that falls ``LISTENER_QUEUE`` events behind loses its oldest ones, as in the in-process bus.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import socket
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass

from redis.asyncio import Redis
from redis.exceptions import RedisError, ResponseError

from shared.bus.base import DeadLetter, Handler, RetryPolicy
from shared.bus.redis_live import LiveFeed
from shared.bus.redis_replies import (
    FIELD,
    STOP_TIMEOUT,
    Fields,
    cancel_and_wait,
    decode,
    describe,
    entries_of,
    field,
    streams_of,
    text,
)
from shared.events import Envelope

log = logging.getLogger(__name__)


def default_consumer_name() -> str:
    return f"{socket.gethostname()}-{os.getpid()}-{secrets.token_hex(3)}"


@dataclass(frozen=True, slots=True)
class _Failure:
    error: str
    attempts: int


class RedisStreamsEventBus:
    def __init__(
        self,
        redis: Redis,
        *,
        stream_prefix: str = "agora:events:",
        dead_letter_prefix: str = "agora:dlq:",
        retry: RetryPolicy | None = None,
        claim_idle_ms: int = 30_000,
        block_ms: int = 1_000,
        batch_size: int = 10,
        maxlen: int | None = 1_000_000,
        consumer_name: str | None = None,
        close_client: bool = False,
    ) -> None:
        if claim_idle_ms <= 0 or block_ms <= 0 or batch_size <= 0:
            raise ValueError("claim_idle_ms, block_ms and batch_size must be positive")
        self.redis = redis
        self.stream_prefix = stream_prefix
        self.dead_letter_prefix = dead_letter_prefix
        self.retry = retry or RetryPolicy()
        self.claim_idle_ms = claim_idle_ms
        self.block_ms = block_ms
        self.batch_size = batch_size
        self.maxlen = maxlen
        self.consumer_name = consumer_name or default_consumer_name()
        self._close_client = close_client
        self._groups: dict[str, dict[str, list[Handler]]] = {}  # group → event type → handlers
        self._tasks: list[asyncio.Task[None]] = []
        self._started = False
        self._closed = False
        self._live = LiveFeed(self)

    def stream(self, event_type: str) -> str:
        return self.stream_prefix + event_type

    def dead_letter_stream(self, group: str) -> str:
        return self.dead_letter_prefix + group

    async def publish(self, envelope: Envelope) -> None:
        if self._closed:
            raise RuntimeError("the event bus is stopped")  # the relay keeps the row for later
        await self.redis.xadd(
            self.stream(envelope.type), {FIELD: envelope.to_json()}, maxlen=self.maxlen
        )

    def subscribe(self, group: str, event_types: Iterable[str], handler: Handler) -> None:
        if self._started:
            raise RuntimeError("subscribe before the bus starts")
        if not group:
            raise ValueError("a consumer group needs a name")
        by_type = self._groups.setdefault(group, {})
        for event_type in event_types:
            by_type.setdefault(event_type, []).append(handler)

    async def start(self) -> None:
        if self._started:
            return
        for group in self._groups:
            await self._create_groups(group)
        self._started = True
        self._tasks = [
            asyncio.create_task(self._consume(group), name=f"redis-bus:{group}")
            for group, by_type in self._groups.items()
            if by_type
        ]

    async def stop(self) -> None:
        tasks, self._tasks = self._tasks, []
        await cancel_and_wait(tasks)
        await self._live.stop()
        if self._started:
            self._started = False
            try:
                async with asyncio.timeout(STOP_TIMEOUT):
                    await self._forget_consumer()
            except (RedisError, TimeoutError) as exc:
                log.warning("could not remove an idle consumer", extra={"error": describe(exc)})
        if self._close_client:
            self._closed = True
            await self.redis.aclose()

    async def ping(self) -> None:
        await self.redis.ping()

    async def dead_letters(self, group: str) -> list[DeadLetter]:
        letters: list[DeadLetter] = []
        for message_id, fields in entries_of(
            await self.redis.xrange(self.dead_letter_stream(group))
        ):
            if fields is None:
                continue
            raw = field(fields, FIELD) or ""
            try:
                envelope = Envelope.from_json(raw)
            except (ValueError, KeyError, TypeError):
                stream = field(fields, "stream") or ""
                envelope = Envelope(
                    id=message_id,
                    type=stream.removeprefix(self.stream_prefix),
                    source="",
                    payload={"raw": raw},
                )
            letters.append(
                DeadLetter(
                    group,
                    envelope,
                    field(fields, "error") or "",
                    int(field(fields, "attempts") or 0),
                )
            )
        return letters

    async def listen(self, event_types: Iterable[str]) -> AsyncIterator[Envelope]:
        streams = frozenset(self.stream(t) for t in event_types)
        queue = await self._live.open(streams)
        try:
            while (envelope := await queue.get()) is not None:
                yield envelope
        finally:
            await self._live.close(queue)

    # consumer groups

    async def _create_groups(self, group: str) -> None:
        for event_type in self._groups[group]:
            try:
                await self.redis.xgroup_create(
                    self.stream(event_type), group, id="0", mkstream=True
                )
            except ResponseError as exc:
                if "BUSYGROUP" not in str(exc):
                    raise

    async def _consume(self, group: str) -> None:
        loop = asyncio.get_running_loop()
        streams = [self.stream(t) for t in self._groups[group]]
        claim_every = self.claim_idle_ms / 2000
        next_claim = 0.0
        failures = 0
        while True:
            try:
                if loop.time() >= next_claim:
                    await self._reclaim(group, streams)
                    next_claim = loop.time() + claim_every
                reply = await self.redis.xreadgroup(
                    group,
                    self.consumer_name,
                    dict.fromkeys(streams, ">"),
                    count=self.batch_size,
                    block=self.block_ms,
                )
                for stream, entries in streams_of(reply):
                    for message_id, fields in entries:
                        await self._handle(group, stream, message_id, fields, delivered=1)
                failures = 0
            except Exception as exc:  # the reader must outlive Redis hiccups (and its own bugs)
                failures += 1
                log.warning(
                    "event bus reader failed; retrying",
                    exc_info=True,
                    extra={"group": group, "error": describe(exc), "failures": failures},
                )
                if "NOGROUP" in str(exc):  # Redis lost the stream (restart without persistence)
                    with contextlib.suppress(RedisError):
                        await self._create_groups(group)
                await asyncio.sleep(self.retry.delay(min(failures, 10)))

    async def _reclaim(self, group: str, streams: Iterable[str]) -> None:
        for stream in streams:
            cursor = "0-0"
            while True:
                reply = await self.redis.xautoclaim(
                    stream,
                    group,
                    self.consumer_name,
                    min_idle_time=self.claim_idle_ms,
                    start_id=cursor,
                    count=self.batch_size,
                )
                cursor = text(reply[0])
                for message_id, fields in entries_of(reply[1]):
                    delivered = await self._delivery_count(stream, group, message_id)
                    log.info(
                        "reclaimed an unacknowledged event",
                        extra={"group": group, "message_id": message_id, "delivered": delivered},
                    )
                    await self._handle(group, stream, message_id, fields, delivered=delivered)
                if cursor == "0-0":
                    break

    async def _delivery_count(self, stream: str, group: str, message_id: str) -> int:
        pending = await self.redis.xpending_range(
            stream, group, min=message_id, max=message_id, count=1
        )
        return int(pending[0]["times_delivered"]) if pending else 1

    async def _handle(
        self,
        group: str,
        stream: str,
        message_id: str,
        fields: Fields | None,
        *,
        delivered: int,
    ) -> None:
        """Run the group's handlers for one message; ack it, or dead-letter it and ack it.

        ``delivered`` is the delivery count: earlier deliveries count as failed attempts."""
        raw = (field(fields, FIELD) if fields is not None else None) or ""
        try:
            envelope = decode(fields)
        except (ValueError, KeyError, TypeError) as exc:
            await self._dead_letter(group, stream, message_id, raw, [_Failure(repr(exc), 0)])
            return
        if delivered > self.retry.max_attempts:
            error = f"delivered {delivered - 1} times without acknowledgement (consumer crashed?)"
            await self._dead_letter(
                group, stream, message_id, raw, [_Failure(error, delivered - 1)]
            )
            return
        handlers = self._groups[group][stream.removeprefix(self.stream_prefix)]
        results = await asyncio.gather(
            *(self._attempt(h, group, envelope, delivered) for h in handlers)
        )
        failures = [r for r in results if r is not None]
        if failures:
            await self._dead_letter(group, stream, message_id, raw, failures)
        else:
            await self.redis.xack(stream, group, message_id)

    async def _attempt(
        self, handler: Handler, group: str, envelope: Envelope, attempt: int
    ) -> _Failure | None:
        while True:
            try:
                await handler(envelope)
                return None
            except Exception as exc:  # noqa: BLE001 - a consumer's failure must not stop the bus
                if attempt >= self.retry.max_attempts:
                    return _Failure(repr(exc), attempt)
                log.warning(
                    "event handler failed; retrying",
                    extra={
                        "group": group,
                        "event_id": envelope.id,
                        "attempt": attempt,
                        "error": repr(exc),
                    },
                )
                await asyncio.sleep(self.retry.delay(attempt))
                attempt += 1

    async def _dead_letter(
        self, group: str, stream: str, message_id: str, raw: str, failures: list[_Failure]
    ) -> None:
        for failure in failures:
            log.error(
                "event dead-lettered",
                extra={"group": group, "message_id": message_id, "error": failure.error},
            )
        async with self.redis.pipeline(transaction=True) as pipe:
            for failure in failures:
                pipe.xadd(
                    self.dead_letter_stream(group),
                    {
                        FIELD: raw,
                        "error": failure.error[:2000],
                        "attempts": failure.attempts,
                        "stream": stream,
                        "message_id": message_id,
                    },
                )
            pipe.xack(stream, group, message_id)
            await pipe.execute()

    async def _forget_consumer(self) -> None:
        """Remove this consumer from its groups unless it still owns pending messages (those
        must stay claimable, and deleting a consumer deletes its pending entries)."""
        for group, by_type in self._groups.items():
            for event_type in by_type:
                stream = self.stream(event_type)
                mine = await self.redis.xpending_range(
                    stream, group, min="-", max="+", count=1, consumername=self.consumer_name
                )
                if not mine:
                    with contextlib.suppress(ResponseError):  # NOGROUP: nothing to forget
                        await self.redis.xgroup_delconsumer(stream, group, self.consumer_name)
