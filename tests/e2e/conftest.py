"""The real platform for end-to-end tests: subgraph host + router as processes, seeded.

``platform`` runs once per module in the embedded wiring (SQLite, in-process bus) and, when
``AGORA_TEST_POSTGRES_URL`` and ``AGORA_TEST_REDIS_URL`` are both set, again in the production
wiring (PostgreSQL schemas + Redis Streams).
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pyotp
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from subgraphs import registry
from subgraphs.accounts.services.seed_staff import (
    DEMO_ADMIN_EMAIL,
    DEMO_ADMIN_PASSWORD,
    DEMO_TOTP_SECRET,
)
from subgraphs.launcher import ROOT, Platform
from tests.conftest import POSTGRES_URL, REDIS_URL, pg_url

WIRINGS = ["embedded", "production"] if POSTGRES_URL and REDIS_URL else ["embedded"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def _drop_schemas(prefix: str) -> None:
    engine = create_async_engine(pg_url())
    async with engine.begin() as conn:
        for name in registry.SUBGRAPHS:
            await conn.execute(text(f'DROP SCHEMA IF EXISTS "{prefix}{name}" CASCADE'))
    await engine.dispose()


@pytest.fixture(scope="module", params=WIRINGS)
def platform(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Platform]:
    wiring = str(request.param)
    data_dir = tmp_path_factory.mktemp("platform")
    env = {
        "AGORA_ENV": "test",
        "AGORA_DATA_DIR": str(data_dir),
        "AGORA_RELAY_INTERVAL": "0.05",
        # The crash test retries a killed completion with its key: take it over after 2 s.
        "AGORA_CHECKOUT_COMPLETION_TIMEOUT": "2",
    }
    prefix = f"e{uuid.uuid4().hex[:10]}_"
    if wiring == "production":
        assert REDIS_URL is not None
        env |= {
            "AGORA_DATABASE_URL": pg_url(),
            "AGORA_DATABASE_SCHEMA_PREFIX": prefix,
            "AGORA_REDIS_URL": REDIS_URL,
        }
    seeded = subprocess.run(
        [sys.executable, "-m", "subgraphs", "seed", "--products", "30"],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert seeded.returncode == 0, seeded.stderr
    platform = Platform(
        env=env, host_port=free_port(), router_port=free_port(), log_dir=Path(data_dir) / "logs"
    )
    try:
        with platform.running(timeout=90):
            yield platform
    finally:
        if wiring == "production":
            asyncio.run(_drop_schemas(prefix))


TOKEN_CREATE = """
mutation Login($input: TokenCreateInput!) {
  tokenCreate(input: $input) { accessToken refreshToken userErrors { field code } }
}
"""


def login(router_url: str, email: str, password: str, otp: str | None = None) -> dict[str, Any]:
    """``tokenCreate`` through the router; the payload (tokens and userErrors)."""
    variables: dict[str, Any] = {"input": {"email": email, "password": password}}
    if otp is not None:
        variables["input"]["otp"] = otp
    response = httpx.post(
        router_url, json={"query": TOKEN_CREATE, "variables": variables}, timeout=30
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    payload: dict[str, Any] = body["data"]["tokenCreate"]
    return payload


@pytest.fixture(scope="module")
def staff(platform: Platform) -> dict[str, str]:
    """Headers of the seeded demo administrator, signed in with password and TOTP (once per
    platform: a TOTP code is accepted once)."""
    payload = login(
        platform.router_url,
        DEMO_ADMIN_EMAIL,
        DEMO_ADMIN_PASSWORD,
        pyotp.TOTP(DEMO_TOTP_SECRET).now(),
    )
    assert payload["userErrors"] == [], payload
    return {"authorization": f"Bearer {payload['accessToken']}"}
