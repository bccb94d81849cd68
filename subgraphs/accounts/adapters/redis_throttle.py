"""Failed sign-ins per client IP in Redis, shared by every accounts replica.

One sorted set per key (``agora:login-failures:<key>``), members are failure times: a failure
is one MULTI of ZADD + ZREMRANGEBYSCORE (drop what left the window) + PEXPIRE; a check counts
what is inside the window with ZCOUNT. Times come from the caller's clock (tests move it).
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from redis.asyncio import Redis

from subgraphs.accounts.services.throttle import WINDOW

PREFIX = "agora:login-failures:"


class RedisFailureLimiter:
    def __init__(self, redis: Redis, limit: int, window: timedelta = WINDOW) -> None:
        self.redis = redis
        self.limit = limit
        self.window = window

    async def blocked(self, key: str, at: datetime) -> bool:
        since = (at - self.window).timestamp()
        count = await self.redis.zcount(PREFIX + key, f"({since}", "+inf")
        return int(count) >= self.limit

    async def fail(self, key: str, at: datetime) -> None:
        name = PREFIX + key
        moment = at.timestamp()
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.zadd(name, {f"{moment}:{uuid.uuid4().hex[:8]}": moment})
            pipe.zremrangebyscore(name, "-inf", moment - self.window.total_seconds())
            pipe.pexpire(name, int(self.window.total_seconds() * 1000))
            await pipe.execute()
