"""Failed sign-ins per client IP: the same sliding-window rule in memory (one process) and in
Redis (shared by every replica; runs whenever AGORA_TEST_REDIS_URL is set)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta

import pytest
import redis.asyncio

from subgraphs.accounts.adapters.redis_throttle import RedisFailureLimiter
from subgraphs.accounts.services.throttle import FailureLimiter, MemoryFailureLimiter
from tests.conftest import REDIS_URL

KINDS = ["memory", "redis"] if REDIS_URL else ["memory"]
T0 = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
Make = Callable[[], FailureLimiter]


@pytest.fixture(params=KINDS)
async def make(request: pytest.FixtureRequest) -> AsyncIterator[Make]:
    """Limiters of limit 3 that share their counts (like replicas)."""
    if request.param == "memory":
        shared = MemoryFailureLimiter(3)
        yield lambda: shared
        return
    assert REDIS_URL is not None
    clients: list[redis.asyncio.Redis] = []

    def build() -> FailureLimiter:
        client = redis.asyncio.from_url(REDIS_URL)
        clients.append(client)
        return RedisFailureLimiter(client, 3)

    yield build
    for client in clients:
        await client.aclose()


async def test_a_key_is_blocked_at_the_limit_until_its_oldest_failure_leaves_the_window(
    make: Make,
) -> None:
    one, other = make(), make()
    ip = f"203.0.113.{uuid.uuid4().int % 250}-{uuid.uuid4().hex[:6]}"
    await one.fail(ip, T0)
    await other.fail(ip, T0 + timedelta(minutes=5))  # another replica counts into the same key
    assert not await one.blocked(ip, T0 + timedelta(minutes=6))
    await one.fail(ip, T0 + timedelta(minutes=10))
    assert await other.blocked(ip, T0 + timedelta(minutes=10))
    assert not await one.blocked(f"{ip}-elsewhere", T0 + timedelta(minutes=10))
    # The first failure leaves the 15-minute window at T0 + 15 min.
    assert not await one.blocked(ip, T0 + timedelta(minutes=15, seconds=1))
