"""Reading Redis Streams replies in every shape redis-py returns (RESP2 lists, RESP3 dicts),
and cancelling bus tasks reliably on Python 3.11."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping

from shared.events import Envelope

log = logging.getLogger("shared.bus.redis_streams")

FIELD = "envelope"
LISTENER_QUEUE = 1000
STOP_TIMEOUT = 2.0
Fields = Mapping[bytes | str, bytes | str]
Entry = tuple[str, Fields | None]


def text(value: object) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"  # redis-py's repr() hides the server's message


def field(fields: Fields, name: str) -> str | None:
    value = fields.get(name.encode(), fields.get(name))
    return None if value is None else text(value)


def entries_of(raw: object) -> list[Entry]:
    return [(text(entry[0]), entry[1]) for entry in raw or []]  # type: ignore[attr-defined]


def streams_of(reply: object) -> list[tuple[str, list[Entry]]]:
    """``XREAD``/``XREADGROUP`` replies in any of redis-py's shapes (RESP2 list, RESP3 dict)."""
    if not reply:
        return []
    pairs = reply.items() if isinstance(reply, dict) else reply
    result: list[tuple[str, list[Entry]]] = []
    for stream, raw in pairs:  # type: ignore[attr-defined]
        nested = (
            bool(raw)
            and isinstance(raw[0], list)
            and (not raw[0] or isinstance(raw[0][0], list | tuple))
        )
        entries = raw[0] if nested else raw  # RESP3 legacy shape: {stream: [entries]}
        result.append((text(stream), entries_of(entries)))
    return result


def decode(fields: Fields | None) -> Envelope:
    if fields is None:
        raise ValueError("the stream entry was deleted (trimmed) before it was handled")
    raw = field(fields, FIELD)
    if raw is None:
        raise ValueError(f"the stream entry has no {FIELD!r} field")
    return Envelope.from_json(raw)


async def cancel_and_wait(tasks: list[asyncio.Task[None]]) -> None:
    """Cancel ``tasks`` and wait until they are done.

    Cancel again while one is still running: on Python 3.11, ``asyncio.wait_for`` (which redis-py
    uses to send every command) swallows a cancellation that arrives just as its inner operation
    completes, and a reader cancelled once would then go on forever."""
    pending = {t for t in tasks if not t.done()}
    while pending:
        for task in pending:
            task.cancel()
        _, pending = await asyncio.wait(pending, timeout=0.1)
    for task in tasks:
        if not task.cancelled() and task.exception() is not None:
            log.error("event bus task had failed", exc_info=task.exception())
