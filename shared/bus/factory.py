"""Choose the event bus: Redis Streams when ``AGORA_REDIS_URL`` is set, else the in-process one."""

from __future__ import annotations

import redis.asyncio

from shared.bus.base import EventBus
from shared.bus.memory import InMemoryEventBus
from shared.bus.redis_streams import RedisStreamsEventBus
from shared.settings import Settings


def create_bus(settings: Settings) -> EventBus:
    """The bus for ``settings``. Connects lazily; the Redis bus closes its client on ``stop``."""
    if settings.redis_url is None:
        return InMemoryEventBus()
    client = redis.asyncio.from_url(settings.redis_url)
    return RedisStreamsEventBus(client, close_client=True)
