"""The Redis Streams bus against a real Redis (``AGORA_TEST_REDIS_URL``; skipped when unset).

Each "process" is a bus instance with its own consumer name; every test has its own key prefix.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from collections.abc import AsyncIterator, Callable
from typing import Any, Protocol

import pytest
import redis.asyncio

from shared.bus.base import DeadLetter, Handler, RetryPolicy
from shared.bus.redis_streams import RedisStreamsEventBus
from shared.events import Envelope

pytestmark = pytest.mark.filterwarnings("error")
FAST_RETRY = RetryPolicy(max_attempts=3, base_delay=0.001, max_delay=0.002)


class MakeBus(Protocol):
    def __call__(self, **options: Any) -> RedisStreamsEventBus: ...


@pytest.fixture
async def make_bus(redis_client: redis.asyncio.Redis, key_prefix: str) -> AsyncIterator[MakeBus]:
    buses: list[RedisStreamsEventBus] = []

    def make(**options: Any) -> RedisStreamsEventBus:
        settings: dict[str, Any] = {
            "stream_prefix": key_prefix + "events:",
            "dead_letter_prefix": key_prefix + "dlq:",
            "retry": FAST_RETRY,
            "block_ms": 50,
        }
        bus = RedisStreamsEventBus(redis_client, **(settings | options))
        buses.append(bus)
        return bus

    yield make
    for bus in buses:
        await bus.stop()


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


async def pending(
    client: redis.asyncio.Redis, bus: RedisStreamsEventBus, event_type: str, group: str
) -> int:
    summary = await client.xpending(bus.stream(event_type), group)
    return int(summary["pending"])


async def acked(
    client: redis.asyncio.Redis, bus: RedisStreamsEventBus, event_type: str, group: str
) -> bool:
    """Whether the group ends up with no pending message (within 5 s: acks follow handlers)."""
    for _ in range(500):
        if await pending(client, bus, event_type, group) == 0:
            return True
        await asyncio.sleep(0.01)
    return False


async def test_every_group_gets_each_event_of_its_types(
    make_bus: MakeBus, redis_client: redis.asyncio.Redis
) -> None:
    bus = make_bus()
    search: list[Envelope] = []
    analytics: list[Envelope] = []
    bus.subscribe("search", ["ProductUpserted"], recorder(search))
    bus.subscribe("search", ["ProductDeleted"], recorder(search))
    bus.subscribe("analytics", ["ProductUpserted"], recorder(analytics))
    await bus.start()
    first, deleted, second = (
        envelope("ProductUpserted", 1),
        envelope("ProductDeleted", 2),
        envelope("ProductUpserted", 3),
    )

    for e in (first, deleted, envelope("Unrelated"), second):
        await bus.publish(e)
    await eventually(lambda: len(search) == 3 and len(analytics) == 2)

    assert analytics == [first, second]  # the envelope survives the trip intact, in order
    assert sorted(e.id for e in search) == sorted(e.id for e in (first, deleted, second))
    assert [e for e in search if e.type == "ProductUpserted"] == [first, second]
    assert await acked(redis_client, bus, "ProductUpserted", "search")
    assert await acked(redis_client, bus, "ProductUpserted", "analytics")


async def test_events_published_before_the_group_first_starts_are_delivered(
    make_bus: MakeBus,
) -> None:
    publisher, consumer = make_bus(), make_bus()
    early = [envelope("OrderPlaced", n) for n in range(3)]
    for e in early:
        await publisher.publish(e)  # the stream and the group do not exist yet
    received: list[Envelope] = []
    consumer.subscribe("notifications", ["OrderPlaced"], recorder(received))

    await consumer.start()
    await eventually(lambda: len(received) == 3)

    assert received == early


async def test_consumers_of_one_group_share_the_work_each_event_handled_once(
    make_bus: MakeBus, redis_client: redis.asyncio.Redis
) -> None:
    handled: dict[str, list[Envelope]] = {"one": [], "two": []}
    both_busy = asyncio.Event()

    def worker(name: str) -> Handler:
        async def handle(e: Envelope) -> None:
            handled[name].append(e)
            if all(handled.values()):
                both_busy.set()
            # the first event blocks this consumer until the other one has taken work too
            async with asyncio.timeout(5):
                await both_busy.wait()

        return handle

    one, two = make_bus(consumer_name="one"), make_bus(consumer_name="two")
    one.subscribe("search", ["ProductUpserted"], worker("one"))
    two.subscribe("search", ["ProductUpserted"], worker("two"))
    await one.start()
    await two.start()
    events = [envelope("ProductUpserted", n) for n in range(30)]

    for e in events:
        await one.publish(e)
    await eventually(lambda: sum(map(len, handled.values())) >= len(events))
    await asyncio.sleep(0.2)  # room for a duplicate to show up

    counts = Counter(e.id for e in handled["one"] + handled["two"])
    assert counts == Counter(e.id for e in events)
    assert handled["one"]
    assert handled["two"]
    assert await acked(redis_client, one, "ProductUpserted", "search")


async def test_different_groups_each_get_every_event(make_bus: MakeBus) -> None:
    received: dict[str, list[Envelope]] = {"search": [], "recommendations": []}
    buses = [make_bus(), make_bus()]
    for bus, group in zip(buses, received, strict=True):
        bus.subscribe(group, ["ProductUpserted"], recorder(received[group]))
        await bus.start()
    events = [envelope("ProductUpserted", n) for n in range(10)]

    for e in events:
        await buses[0].publish(e)
    await eventually(lambda: all(len(r) == len(events) for r in received.values()))

    assert received["search"] == events
    assert received["recommendations"] == events


async def test_a_handler_that_fails_then_succeeds_is_retried_in_process(make_bus: MakeBus) -> None:
    bus = make_bus()
    calls: list[Envelope] = []

    async def flaky(e: Envelope) -> None:
        calls.append(e)
        if len(calls) < FAST_RETRY.max_attempts:
            raise RuntimeError("try again")

    bus.subscribe("orders", ["PaymentCaptured"], flaky)
    await bus.start()
    event = envelope("PaymentCaptured")

    await bus.publish(event)
    await eventually(lambda: len(calls) == FAST_RETRY.max_attempts)
    await asyncio.sleep(0.1)

    assert calls == [event] * FAST_RETRY.max_attempts
    assert await bus.dead_letters("orders") == []


async def test_a_poison_event_is_dead_lettered_after_max_attempts_and_acked(
    make_bus: MakeBus, redis_client: redis.asyncio.Redis
) -> None:
    bus = make_bus()
    calls: list[Envelope] = []
    healthy: list[Envelope] = []

    async def broken(e: Envelope) -> None:
        calls.append(e)
        if e.payload["n"] == 1:
            raise ValueError("poison")

    bus.subscribe("orders", ["PaymentCaptured"], broken)
    bus.subscribe("analytics", ["PaymentCaptured"], recorder(healthy))
    await bus.start()
    poison, fine = envelope("PaymentCaptured", 1), envelope("PaymentCaptured", 2)

    await bus.publish(poison)
    await bus.publish(fine)
    await eventually(lambda: fine in calls and len(healthy) == 2)

    assert calls == [poison] * FAST_RETRY.max_attempts + [fine]
    assert await bus.dead_letters("orders") == [
        DeadLetter("orders", poison, repr(ValueError("poison")), FAST_RETRY.max_attempts)
    ]
    assert await bus.dead_letters("analytics") == []
    assert await acked(redis_client, bus, "PaymentCaptured", "orders")


async def test_an_undecodable_entry_is_dead_lettered_without_calling_the_handler(
    make_bus: MakeBus, redis_client: redis.asyncio.Redis
) -> None:
    bus = make_bus()
    received: list[Envelope] = []
    bus.subscribe("orders", ["PaymentCaptured"], recorder(received))
    await bus.start()
    event = envelope("PaymentCaptured")

    await redis_client.xadd(bus.stream("PaymentCaptured"), {"envelope": "not json"})
    await bus.publish(event)
    await eventually(lambda: len(received) == 1)

    assert received == [event]
    [letter] = await bus.dead_letters("orders")
    assert letter.envelope.payload == {"raw": "not json"}
    assert letter.envelope.type == "PaymentCaptured"
    assert letter.attempts == 0
    assert await acked(redis_client, bus, "PaymentCaptured", "orders")


async def test_a_crashed_consumers_message_is_reclaimed_by_another_consumer(
    make_bus: MakeBus, redis_client: redis.asyncio.Redis
) -> None:
    started = asyncio.Event()

    async def hangs(e: Envelope) -> None:
        started.set()
        await asyncio.Event().wait()  # never returns: the bus is stopped mid-handler

    crashing = make_bus(consumer_name="crashing")
    crashing.subscribe("inventory", ["OrderPlaced"], hangs)
    await crashing.start()
    event = envelope("OrderPlaced")
    await crashing.publish(event)
    async with asyncio.timeout(5):
        await started.wait()
    await crashing.stop()  # read, never acked
    assert await pending(redis_client, crashing, "OrderPlaced", "inventory") == 1

    received: list[Envelope] = []
    survivor = make_bus(consumer_name="survivor", claim_idle_ms=200)
    survivor.subscribe("inventory", ["OrderPlaced"], recorder(received))
    await survivor.start()
    await eventually(lambda: len(received) == 1)

    assert received == [event]
    assert await acked(redis_client, survivor, "OrderPlaced", "inventory")
    assert await survivor.dead_letters("inventory") == []


async def test_a_message_delivered_max_attempts_times_is_dead_lettered_not_retried(
    make_bus: MakeBus, redis_client: redis.asyncio.Redis
) -> None:
    bus = make_bus(claim_idle_ms=100)
    received: list[Envelope] = []
    bus.subscribe("inventory", ["OrderPlaced"], recorder(received))
    stream = bus.stream("OrderPlaced")
    await redis_client.xgroup_create(stream, "inventory", id="0", mkstream=True)
    event = envelope("OrderPlaced")
    await bus.publish(event)
    # three consumers took it in turn and died holding it (e.g. it crashes the process)
    await redis_client.xreadgroup("inventory", "dead-1", {stream: ">"}, count=1)
    entries = await redis_client.xrange(stream)
    assert entries is not None
    message_id = entries[0][0]
    assert message_id is not None
    for consumer in ("dead-2", "dead-3"):
        await redis_client.xclaim(stream, "inventory", consumer, 0, [message_id])

    await bus.start()
    letters: list[DeadLetter] = []
    async with asyncio.timeout(5):
        while not letters:
            await asyncio.sleep(0.02)
            letters = await bus.dead_letters("inventory")

    assert received == []
    assert [(d.envelope, d.attempts) for d in letters] == [(event, FAST_RETRY.max_attempts)]
    assert await acked(redis_client, bus, "OrderPlaced", "inventory")


async def listening(
    bus: RedisStreamsEventBus, event_types: list[str], publisher: RedisStreamsEventBus
) -> tuple[list[Envelope], asyncio.Task[None]]:
    """Start collecting ``bus.listen(event_types + ["Ping"])``; return once it receives events."""
    received: list[Envelope] = []

    async def collect() -> None:
        async for e in bus.listen([*event_types, "Ping"]):
            received.append(e)

    task = asyncio.create_task(collect())
    async with asyncio.timeout(5):
        while not received:
            await publisher.publish(envelope("Ping"))
            await asyncio.sleep(0.02)
    return received, task


async def test_listen_yields_live_events_of_its_types_in_every_process(make_bus: MakeBus) -> None:
    publisher, first, second = make_bus(), make_bus(), make_bus()
    before = envelope("OrderPlaced", 1)
    await publisher.publish(before)
    received_first, task_first = await listening(first, ["OrderPlaced"], publisher)
    received_second, task_second = await listening(second, ["OrderPlaced"], publisher)
    placed, shipped, placed_again = (
        envelope("OrderPlaced", 2),
        envelope("OrderShipped", 3),
        envelope("OrderPlaced", 4),
    )

    for e in (placed, shipped, placed_again):
        await publisher.publish(e)
    await eventually(lambda: placed_again in received_first and placed_again in received_second)

    assert [e for e in received_first if e.type != "Ping"] == [placed, placed_again]
    assert [e for e in received_second if e.type != "Ping"] == [placed, placed_again]
    for task in (task_first, task_second):
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def test_stop_ends_listeners_and_leaves_no_task_behind(make_bus: MakeBus) -> None:
    bus = make_bus()
    bus.subscribe("search", ["ProductUpserted"], recorder([]))
    bus.subscribe("analytics", ["ProductUpserted"], recorder([]))
    await bus.start()
    _, task = await listening(bus, ["ProductUpserted"], bus)

    await bus.stop()
    async with asyncio.timeout(5):
        await task  # the listener's iteration ended

    assert asyncio.all_tasks() == {asyncio.current_task()}


async def test_ping_and_empty_dead_letters(make_bus: MakeBus) -> None:
    bus = make_bus()
    await bus.ping()
    assert await bus.dead_letters("nobody") == []


async def test_listeners_of_one_bus_share_the_feed_and_come_and_go(make_bus: MakeBus) -> None:
    bus = make_bus()
    placed_seen, placed_task = await listening(bus, ["OrderPlaced"], bus)
    shipped_seen, shipped_task = await listening(bus, ["OrderShipped"], bus)  # a new stream
    placed_task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await placed_task
    shipped = envelope("OrderShipped", 1)

    await bus.publish(envelope("OrderPlaced", 2))
    await bus.publish(shipped)
    await eventually(lambda: shipped in shipped_seen)

    assert [e for e in shipped_seen if e.type != "Ping"] == [shipped]
    assert [e for e in placed_seen if e.type != "Ping"] == []
    shipped_task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await shipped_task
