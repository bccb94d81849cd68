"""Calls from one subgraph to another's internal API: signed, bounded in time, retried, guarded.

A synchronous call between subgraphs is allowed only where a user must get an answer before
payment (checkout → inventory). Every request is signed like the router signs (``shared.auth``:
HMAC over timestamp, identity and body) with the caller's service principal; each attempt is
signed afresh. Idempotent calls are retried on connection errors, timeouts and 5xx answers with
exponential backoff; a 4xx answer is the peer's verdict and is returned at once. A circuit
breaker per client opens after ``failure_threshold`` consecutive failed calls and then fails fast
with ``CircuitOpen`` (no network) until ``reset_timeout`` has passed; the next call is a trial
(half-open): its success closes the circuit, its failure opens it again.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import httpx
import orjson

from shared.auth import Principal, signed_headers

Sleep = Callable[[float], Awaitable[None]]
Clock = Callable[[], float]


class ServiceUnavailable(Exception):
    """The peer could not answer (down, too slow, failing): try again later."""

    def __init__(self, service: str, message: str) -> None:
        super().__init__(f"{service}: {message}")
        self.service = service
        self.message = message


class CircuitOpen(ServiceUnavailable):
    """The circuit to the peer is open: the call was refused without touching the network."""


class CircuitState(StrEnum):
    CLOSED = "CLOSED"
    OPEN = "OPEN"
    HALF_OPEN = "HALF_OPEN"


@dataclass
class CircuitBreaker:
    """Consecutive-failure circuit breaker (not thread-safe; one per event loop)."""

    failure_threshold: int = 5
    reset_timeout: float = 10.0
    clock: Clock = time.monotonic
    failures: int = 0
    opened_at: float | None = None
    _trial_running: bool = field(default=False, repr=False)

    @property
    def state(self) -> CircuitState:
        if self.opened_at is None:
            return CircuitState.CLOSED
        if self.clock() - self.opened_at >= self.reset_timeout:
            return CircuitState.HALF_OPEN
        return CircuitState.OPEN

    def before_call(self, service: str) -> None:
        """Raise ``CircuitOpen`` unless a call may go out now (closed, or the half-open trial)."""
        state = self.state
        if state is CircuitState.CLOSED:
            return
        if state is CircuitState.HALF_OPEN and not self._trial_running:
            self._trial_running = True
            return
        raise CircuitOpen(service, "temporarily unavailable (circuit open); try again later")

    def record_success(self) -> None:
        self.failures = 0
        self.opened_at = None
        self._trial_running = False

    def record_failure(self) -> None:
        self._trial_running = False
        self.failures += 1
        if self.opened_at is not None or self.failures >= self.failure_threshold:
            self.opened_at = self.clock()


@dataclass
class ServiceClient:
    """An httpx client for one peer's internal API.

    ``timeout`` bounds each attempt; ``retries`` is the number of extra attempts for idempotent
    calls, the n-th after ``backoff * 2**(n-1)`` seconds. ``transport`` replaces the network
    (``httpx.ASGITransport`` of the peer's app, or ``httpx.MockTransport``) in tests.
    """

    service: str
    base_url: str
    secret: str
    caller: Principal
    timeout: float = 2.0
    retries: int = 2
    backoff: float = 0.05
    breaker: CircuitBreaker = field(default_factory=CircuitBreaker)
    transport: httpx.AsyncBaseTransport | None = None
    sleep: Sleep = asyncio.sleep
    _client: httpx.AsyncClient | None = field(default=None, init=False, repr=False)

    @property
    def client(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = httpx.AsyncClient(
                base_url=self.base_url.rstrip("/"),
                timeout=self.timeout,
                transport=self.transport,
            )
        return self._client

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def post(self, path: str, payload: Any, *, idempotent: bool = False) -> httpx.Response:
        """POST ``payload`` as JSON to ``path``; the response when the peer answered below 500.

        Raises ``ServiceUnavailable`` (or ``CircuitOpen``) when it could not get such an answer.
        """
        body = orjson.dumps(payload)
        attempts = 1 + (self.retries if idempotent else 0)
        last_error = "no attempt made"
        for attempt in range(attempts):
            if attempt:
                await self.sleep(self.backoff * 2 ** (attempt - 1))
            self.breaker.before_call(self.service)
            headers = {"content-type": "application/json"}
            headers |= signed_headers(self.secret, self.caller, body)
            try:
                response = await self.client.post(path, content=body, headers=headers)
            except httpx.TimeoutException:
                last_error = "timed out"
            except httpx.TransportError as exc:
                last_error = f"unreachable ({type(exc).__name__})"
            else:
                if response.status_code < 500:
                    self.breaker.record_success()
                    return response
                last_error = f"answered HTTP {response.status_code}"
            self.breaker.record_failure()
        raise ServiceUnavailable(self.service, f"{last_error}; try again later")
