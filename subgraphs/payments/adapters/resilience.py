"""Timeouts, retries with exponential backoff and full jitter, and a circuit breaker per
provider, around any ``PaymentProvider``.

Only ``ProviderUnavailable`` and timeouts are retried, always with the same idempotency key (so a
retry after a lost answer is the same operation, never a second charge). The breaker counts
failures in a sliding window: ``threshold`` failures within ``window`` seconds (5 s) open it;
while open every call fails at once with ``ProviderUnavailable`` ("try again later"); after
``cooldown`` one trial call goes through (half-open) and its outcome closes or re-opens it.
Clock and sleep are injected: tests never wait for real seconds.
"""

from __future__ import annotations

import asyncio
import random
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import TypeVar

from prometheus_client import Counter

from subgraphs.payments.domain.provider import (
    Authorization,
    Charge,
    PaymentProvider,
    PaymentRequest,
    ProviderUnavailable,
)

T = TypeVar("T")
CIRCUIT_OPENED = Counter(
    "agora_payment_circuit_opened_total", "Times a payment provider's circuit opened", ["provider"]
)


class BreakerState(StrEnum):
    CLOSED = "CLOSED"
    OPEN = "OPEN"
    HALF_OPEN = "HALF_OPEN"


@dataclass
class SlidingWindowBreaker:
    name: str
    threshold: int = 5
    window: float = 5.0
    cooldown: float = 30.0
    clock: Callable[[], float] = field(default=lambda: asyncio.get_running_loop().time())
    _failures: deque[float] = field(default_factory=deque)
    _opened_at: float | None = None
    _trial: bool = False

    @property
    def state(self) -> BreakerState:
        if self._opened_at is None:
            return BreakerState.CLOSED
        if self.clock() - self._opened_at >= self.cooldown:
            return BreakerState.HALF_OPEN
        return BreakerState.OPEN

    def before_call(self) -> None:
        state = self.state
        if state == BreakerState.OPEN or (state == BreakerState.HALF_OPEN and self._trial):
            raise ProviderUnavailable(f"{self.name} is unavailable; try again later (circuit open)")
        if state == BreakerState.HALF_OPEN:
            self._trial = True

    def success(self) -> None:
        self._failures.clear()
        self._opened_at = None
        self._trial = False

    def failure(self) -> None:
        now = self.clock()
        if self.state == BreakerState.HALF_OPEN:
            self._opened_at = now
            self._trial = False
            CIRCUIT_OPENED.labels(self.name).inc()
            return
        self._failures.append(now)
        while self._failures and now - self._failures[0] > self.window:
            self._failures.popleft()
        if self._opened_at is None and len(self._failures) >= self.threshold:
            self._opened_at = now
            CIRCUIT_OPENED.labels(self.name).inc()


@dataclass
class RetryPolicy:
    attempts: int = 3
    base_delay: float = 0.2
    max_delay: float = 2.0
    timeout: float = 10.0
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    rng: random.Random = field(default_factory=random.Random)

    def delay(self, attempt: int) -> float:
        """Full jitter: uniform in [0, min(max, base * 2^attempt)]."""
        return self.rng.uniform(0, min(self.max_delay, self.base_delay * 2**attempt))


class ResilientProvider:
    """A provider with a timeout per call, retries and the breaker."""

    def __init__(
        self, inner: PaymentProvider, breaker: SlidingWindowBreaker, retry: RetryPolicy
    ) -> None:
        self.inner = inner
        self.name = inner.name
        self.breaker = breaker
        self.retry = retry

    async def _call(self, work: Callable[[], Awaitable[T]]) -> T:
        last: Exception | None = None
        for attempt in range(self.retry.attempts):
            self.breaker.before_call()
            try:
                result = await asyncio.wait_for(work(), timeout=self.retry.timeout)
            except (ProviderUnavailable, TimeoutError) as exc:
                self.breaker.failure()
                last = exc
                if attempt + 1 < self.retry.attempts:
                    await self.retry.sleep(self.retry.delay(attempt))
                continue
            self.breaker.success()
            return result
        raise ProviderUnavailable(f"{self.name} did not answer; try again later") from last

    async def authorize(self, request: PaymentRequest, *, idempotency_key: str) -> Authorization:
        return await self._call(
            lambda: self.inner.authorize(request, idempotency_key=idempotency_key)
        )

    async def confirm(self, reference: str, *, idempotency_key: str) -> Authorization:
        return await self._call(
            lambda: self.inner.confirm(reference, idempotency_key=idempotency_key)
        )

    async def capture(self, reference: str, amount: Decimal, *, idempotency_key: str) -> Charge:
        return await self._call(
            lambda: self.inner.capture(reference, amount, idempotency_key=idempotency_key)
        )

    async def void(self, reference: str, *, idempotency_key: str) -> None:
        await self._call(lambda: self.inner.void(reference, idempotency_key=idempotency_key))

    async def refund(
        self, reference: str, amount: Decimal, currency: str, *, idempotency_key: str
    ) -> Charge:
        return await self._call(
            lambda: self.inner.refund(reference, amount, currency, idempotency_key=idempotency_key)
        )
