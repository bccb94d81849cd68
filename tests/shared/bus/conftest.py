"""Fixtures for the event bus tests.

The Redis tests run when ``AGORA_TEST_REDIS_URL`` is set (then an unreachable Redis fails them)
and are skipped otherwise. Each test gets its own key prefix, deleted afterwards.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator

import pytest
import redis.asyncio

REDIS_URL_VARIABLE = "AGORA_TEST_REDIS_URL"


@pytest.fixture
def redis_url() -> str:
    url = os.environ.get(REDIS_URL_VARIABLE)
    if not url:
        pytest.skip(f"{REDIS_URL_VARIABLE} is not set")
    return url


@pytest.fixture
def key_prefix() -> str:
    return f"agora-test:{uuid.uuid4().hex}:"


@pytest.fixture
async def redis_client(redis_url: str, key_prefix: str) -> AsyncIterator[redis.asyncio.Redis]:
    client = redis.asyncio.from_url(redis_url)
    try:
        await client.ping()  # unreachable while the URL is set: the test fails, never skips
        yield client
        keys = [key async for key in client.scan_iter(match=key_prefix + "*", count=1000)]
        if keys:
            await client.delete(*keys)
    finally:
        await client.aclose()
