"""Rate limits at the router: per caller, per operation, sensitive fields, global; Redis-shared."""

from __future__ import annotations

import os
from pathlib import Path

import httpx
import pytest
import redis

from tests.router.test_router_config import _gateway

REDIS_URL = os.environ.get("AGORA_TEST_REDIS_URL") or None


def ask(base: str, query: str) -> httpx.Response:
    return httpx.post(f"{base}/graphql", json={"query": query}, timeout=15)


def test_a_caller_over_the_operation_limit_gets_rate_limited_with_retry_after(
    tmp_path: Path,
) -> None:
    env = {"AGORA_RATE_LIMIT_PER_OPERATION": "3", "AGORA_RATE_LIMIT_PER_USER": "100"}
    with _gateway(tmp_path, **env) as base:
        allowed = [ask(base, "{ __typename }") for _ in range(3)]
        refused = ask(base, "query Renamed { __typename }")  # same root fields: same operation
        other = ask(base, "{ a: __typename __schema { queryType { name } } }")

    assert [r.status_code for r in allowed] == [200, 200, 200]
    assert refused.status_code == 429
    [error] = refused.json()["errors"]
    assert error["extensions"]["code"] == "RATE_LIMITED"
    assert error["extensions"]["scope"] == "OPERATION"
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert error["extensions"]["retryAfter"] == int(refused.headers["retry-after"])
    assert other.status_code == 200


def test_the_per_caller_limit_covers_every_operation(tmp_path: Path) -> None:
    env = {"AGORA_RATE_LIMIT_PER_USER": "2", "AGORA_RATE_LIMIT_PER_OPERATION": "0"}
    with _gateway(tmp_path, **env) as base:
        codes = [
            ask(base, q).status_code
            for q in ("{ __typename }", "{ a: __typename }", "{ __schema { types { name } } }")
        ]

    assert codes == [200, 200, 429]


def test_a_global_limit_refuses_everyone_over_it(tmp_path: Path) -> None:
    with _gateway(tmp_path, AGORA_RATE_LIMIT_GLOBAL="1") as base:
        responses = [ask(base, "{ __typename }") for _ in range(5)]

    # Five requests cannot all fall in different one-second windows within a fast loop.
    limited = [r for r in responses if r.status_code == 429]
    assert limited
    assert {r.json()["errors"][0]["extensions"]["scope"] for r in limited} == {"GLOBAL"}


def test_a_bad_limit_setting_stops_the_router(tmp_path: Path) -> None:
    with (
        pytest.raises(AssertionError, match="AGORA_RATE_LIMIT_PER_USER"),
        _gateway(tmp_path, AGORA_RATE_LIMIT_PER_USER="lots"),
    ):
        pass


@pytest.mark.skipif(REDIS_URL is None, reason="AGORA_TEST_REDIS_URL is not set")
def test_routers_sharing_redis_share_the_counters(tmp_path: Path) -> None:
    assert REDIS_URL is not None
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter("agora:ratelimit:*"):  # the test database outlives runs
        client.delete(key)
    client.close()
    query = "{ __typename }"
    env = {
        "AGORA_REDIS_URL": REDIS_URL,
        "AGORA_RATE_LIMIT_PER_OPERATION": "2",
        "AGORA_RATE_LIMIT_PER_USER": "1000",
    }
    with _gateway(tmp_path / "a", **env) as first, _gateway(tmp_path / "b", **env) as second:
        codes = [ask(first, query).status_code, ask(second, query).status_code]
        third = ask(first, query)
        fourth = ask(second, query)

    assert codes == [200, 200]
    assert (third.status_code, fourth.status_code) == (429, 429)


def test_sensitive_fields_have_their_own_tighter_limit(tmp_path: Path) -> None:
    login = 'mutation { tokenCreate(input: {email: "a@b.c", password: "x"}) { accessToken } }'
    env = {"AGORA_RATE_LIMIT_PER_OPERATION": "0", "AGORA_RATE_LIMIT_PER_USER": "0"}
    with _gateway(tmp_path / "on", **env) as base:
        on = [ask(base, login).status_code for _ in range(11)]
    with _gateway(tmp_path / "off", **env, AGORA_RATE_LIMIT_SENSITIVE="false") as base:
        off = [ask(base, login).status_code for _ in range(11)]

    # Validation fails (the stand-in supergraph has no tokenCreate), but only after the limits.
    assert on[-1] == 429
    assert 429 not in off
