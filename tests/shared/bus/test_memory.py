"""The in-process bus: fan-out to groups, retries then dead letters, live listeners."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable

import pytest

from shared.bus.base import DeadLetter, Handler, RetryPolicy
from shared.bus.memory import InMemoryEventBus
from shared.events import Envelope

pytestmark = pytest.mark.filterwarnings("error")
FAST_RETRY = RetryPolicy(max_attempts=3, base_delay=0.001, max_delay=0.002)


def envelope(event_type: str, n: int = 0) -> Envelope:
    return Envelope(type=event_type, source="test", key=str(n), payload={"n": n})


def recorder(into: list[Envelope]) -> Handler:
    async def handle(e: Envelope) -> None:
        into.append(e)

    return handle


async def eventually(condition: Callable[[], bool]) -> None:
    """Wait up to 5 s for ``condition()``: the bus delivers in its own tasks."""
    for _ in range(500):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the condition did not hold within 5 s")


async def test_every_group_gets_each_event_of_its_types() -> None:
    bus = InMemoryEventBus(FAST_RETRY)
    search: list[Envelope] = []
    analytics: list[Envelope] = []
    bus.subscribe("search", ["ProductUpserted"], recorder(search))
    bus.subscribe("search", ["ProductDeleted"], recorder(search))
    bus.subscribe("analytics", ["ProductUpserted"], recorder(analytics))
    await bus.start()
    upserted, deleted, other = (
        envelope("ProductUpserted"),
        envelope("ProductDeleted"),
        envelope("X"),
    )

    for e in (upserted, deleted, other):
        await bus.publish(e)

    assert search == [upserted, deleted]
    assert analytics == [upserted]
    await bus.stop()


async def test_a_failing_handler_is_retried_until_it_succeeds() -> None:
    bus = InMemoryEventBus(FAST_RETRY)
    calls: list[Envelope] = []

    async def flaky(e: Envelope) -> None:
        calls.append(e)
        if len(calls) < 3:
            raise RuntimeError("try again")

    bus.subscribe("orders", ["PaymentCaptured"], flaky)
    await bus.publish(envelope("PaymentCaptured"))

    assert len(calls) == 3
    assert await bus.dead_letters("orders") == []


async def test_a_handler_that_keeps_failing_is_dead_lettered_after_max_attempts() -> None:
    bus = InMemoryEventBus(FAST_RETRY)
    calls = 0
    others: list[Envelope] = []

    async def broken(e: Envelope) -> None:
        nonlocal calls
        calls += 1
        raise ValueError("poison")

    bus.subscribe("orders", ["PaymentCaptured"], broken)
    bus.subscribe("analytics", ["PaymentCaptured"], recorder(others))
    event = envelope("PaymentCaptured")
    await bus.publish(event)

    assert calls == FAST_RETRY.max_attempts
    assert await bus.dead_letters("orders") == [
        DeadLetter("orders", event, repr(ValueError("poison")), FAST_RETRY.max_attempts)
    ]
    assert others == [event]
    assert await bus.dead_letters("analytics") == []


async def listening(
    bus: InMemoryEventBus, event_types: list[str], publish: Callable[[Envelope], Awaitable[None]]
) -> tuple[list[Envelope], asyncio.Task[None]]:
    """Start collecting ``bus.listen(event_types + ["Ping"])``; return once it receives events."""
    received: list[Envelope] = []

    async def collect() -> None:
        async for e in bus.listen([*event_types, "Ping"]):
            received.append(e)

    task = asyncio.create_task(collect())
    async with asyncio.timeout(5):
        while not received:
            await publish(envelope("Ping"))
            await asyncio.sleep(0.01)
    return received, task


async def test_listen_yields_live_events_of_its_types_only() -> None:
    bus = InMemoryEventBus()
    before = envelope("OrderPlaced", 1)
    await bus.publish(before)
    received, task = await listening(bus, ["OrderPlaced"], bus.publish)
    placed, shipped = envelope("OrderPlaced", 2), envelope("OrderShipped", 3)

    await bus.publish(shipped)
    await bus.publish(placed)
    await eventually(lambda: placed in received)

    assert [e for e in received if e.type != "Ping"] == [placed]
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
