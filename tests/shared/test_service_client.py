"""ServiceClient: signed requests, bounded retries with backoff for idempotent calls only, and a
circuit breaker that opens after N consecutive failures, fails fast, then half-opens."""

from __future__ import annotations

import httpx
import pytest

from shared.auth import (
    IDENTITY_HEADER,
    SIGNATURE_HEADER,
    Principal,
    decode_identity,
    verify_signature,
)
from shared.service_client import (
    CircuitBreaker,
    CircuitOpen,
    CircuitState,
    ServiceClient,
    ServiceUnavailable,
)

SECRET = "s" * 40


class Peer:
    """A scripted peer: answers each request with the next status (or raises a timeout)."""

    def __init__(self, script: list[int | str]) -> None:
        self.script = list(script)
        self.requests: list[httpx.Request] = []

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        step = self.script.pop(0) if self.script else 200
        if step == "timeout":
            raise httpx.ReadTimeout("slow", request=request)
        if step == "refused":
            raise httpx.ConnectError("refused", request=request)
        return httpx.Response(int(step), json={"ok": step})


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def make(
    peer: Peer, *, retries: int = 2, breaker: CircuitBreaker | None = None
) -> tuple[ServiceClient, list[float]]:
    sleeps: list[float] = []

    async def sleep(seconds: float) -> None:
        sleeps.append(seconds)

    client = ServiceClient(
        service="inventory",
        base_url="http://inventory.test/inventory",
        secret=SECRET,
        caller=Principal.service("checkout"),
        retries=retries,
        backoff=0.1,
        breaker=breaker or CircuitBreaker(failure_threshold=3, reset_timeout=10),
        transport=httpx.MockTransport(peer.handler),
        sleep=sleep,
    )
    return client, sleeps


async def test_requests_are_signed_as_the_calling_service() -> None:
    peer = Peer([200])
    client, _ = make(peer)
    response = await client.post("/internal/availability", {"variant_ids": ["a"]})
    assert response.status_code == 200
    (request,) = peer.requests
    assert request.url.path == "/inventory/internal/availability"
    identity = request.headers[IDENTITY_HEADER]
    assert verify_signature(SECRET, request.headers[SIGNATURE_HEADER], identity, request.content)
    assert decode_identity(identity) == Principal.service("checkout")
    await client.aclose()


async def test_idempotent_calls_retry_with_exponential_backoff() -> None:
    peer = Peer([503, "timeout", 200])
    client, sleeps = make(peer)
    response = await client.post("/x", {}, idempotent=True)
    assert response.status_code == 200
    assert len(peer.requests) == 3
    assert sleeps == [0.1, 0.2]
    signatures = {r.headers[SIGNATURE_HEADER] for r in peer.requests}
    assert len(signatures) >= 1  # each attempt signed afresh (same second may repeat)


async def test_retries_are_bounded() -> None:
    peer = Peer([503, 503, 503, 503])
    client, _ = make(peer, breaker=CircuitBreaker(failure_threshold=10))
    with pytest.raises(ServiceUnavailable, match="HTTP 503"):
        await client.post("/x", {}, idempotent=True)
    assert len(peer.requests) == 3


async def test_non_idempotent_calls_are_not_retried() -> None:
    peer = Peer(["refused", 200])
    client, _ = make(peer)
    with pytest.raises(ServiceUnavailable, match="unreachable"):
        await client.post("/x", {})
    assert len(peer.requests) == 1


async def test_a_client_error_is_an_answer_not_a_failure() -> None:
    peer = Peer([409])
    client, _ = make(peer)
    response = await client.post("/x", {}, idempotent=True)
    assert response.status_code == 409
    assert len(peer.requests) == 1
    assert client.breaker.failures == 0


async def test_the_circuit_opens_fails_fast_and_half_opens() -> None:
    clock = Clock()
    breaker = CircuitBreaker(failure_threshold=3, reset_timeout=10, clock=clock)
    peer = Peer([500, 500, 500])
    client, _ = make(peer, retries=0, breaker=breaker)
    for _ in range(3):
        with pytest.raises(ServiceUnavailable):
            await client.post("/x", {})
    assert breaker.state is CircuitState.OPEN

    with pytest.raises(CircuitOpen, match="try again later"):
        await client.post("/x", {})
    assert len(peer.requests) == 3  # failed fast: no request went out

    clock.now = 10.0
    assert breaker.state is CircuitState.HALF_OPEN
    peer.script = [500]
    with pytest.raises(ServiceUnavailable):
        await client.post("/x", {})  # the trial fails: open again
    assert breaker.state is CircuitState.OPEN
    clock.now = 20.0
    response = await client.post("/x", {})  # the next trial succeeds: closed
    assert response.status_code == 200
    assert breaker.state is CircuitState.CLOSED


def test_only_one_trial_while_half_open() -> None:
    clock = Clock()
    breaker = CircuitBreaker(failure_threshold=1, reset_timeout=5, clock=clock)
    breaker.record_failure()
    clock.now = 5
    breaker.before_call("inventory")  # the trial
    with pytest.raises(CircuitOpen):
        breaker.before_call("inventory")
