"""The bus factory: in-process without ``AGORA_REDIS_URL``, Redis Streams with it."""

from __future__ import annotations

import pytest

from shared.bus.factory import create_bus
from shared.bus.memory import InMemoryEventBus
from shared.bus.redis_streams import RedisStreamsEventBus
from shared.events import Envelope
from shared.settings import Settings


def test_without_a_redis_url_the_bus_is_in_process() -> None:
    assert isinstance(create_bus(Settings()), InMemoryEventBus)


async def test_with_a_redis_url_the_bus_owns_its_client_and_closes_it(redis_url: str) -> None:
    bus = create_bus(Settings(redis_url=redis_url))
    assert isinstance(bus, RedisStreamsEventBus)
    await bus.start()
    await bus.ping()

    await bus.stop()

    with pytest.raises(RuntimeError, match="stopped"):
        await bus.publish(Envelope(type="Anything", source="test", payload={}))
