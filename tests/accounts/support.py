"""Helpers for the accounts tests: a clock to move, the mail outbox, sign-up and sign-in."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pyotp

from shared.app import SubgraphApp
from subgraphs.accounts.adapters.mailer import read_outbox
from subgraphs.accounts.uow import AccountsUnitOfWork
from tests.graphql_client import SubgraphClient

AccountsUow = Callable[[], AccountsUnitOfWork]
PASSWORD = "correct horse battery"

REGISTER = """
mutation Register($input: AccountRegisterInput!) {
  accountRegister(input: $input) { customer { id } userErrors { field message code } }
}
"""
TOKEN_CREATE = """
mutation Login($input: TokenCreateInput!) {
  tokenCreate(input: $input) { accessToken refreshToken userErrors { field message code } }
}
"""
TOKEN_REFRESH = """
mutation Refresh($input: RefreshTokenInput!) {
  tokenRefresh(input: $input) { accessToken refreshToken userErrors { field message code } }
}
"""
ME = "query { me { id email firstName lastName } }"


class FakeClock:
    """What the accounts use cases take as "now"; tests move it."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class Outbox:
    directory: Path

    def messages(self, to: str | None = None, kind: str | None = None) -> list[dict[str, Any]]:
        found = read_outbox(self.directory, to=to)
        return [m for m in found if kind is None or m["kind"] == kind]

    def token(self, to: str, kind: str) -> str:
        """The token of the newest link of ``kind`` mailed to ``to``."""
        messages = self.messages(to=to, kind=kind)
        assert messages, f"no {kind} mail to {to}"
        match = re.search(r"token=([A-Za-z0-9_\-]+)", messages[-1]["text"])
        assert match, messages[-1]
        return match.group(1)


async def register(
    client: SubgraphClient, email: str, password: str = PASSWORD, **extra: Any
) -> dict[str, Any]:
    result = await client.execute(
        REGISTER, {"input": {"email": email, "password": password, **extra}}
    )
    assert "errors" not in result, result
    payload: dict[str, Any] = result["data"]["accountRegister"]
    return payload


async def login(
    client: SubgraphClient, email: str, password: str = PASSWORD, otp: str | None = None, **kw: Any
) -> dict[str, Any]:
    variables: dict[str, Any] = {"input": {"email": email, "password": password}}
    if otp is not None:
        variables["input"]["otp"] = otp
    result = await client.execute(TOKEN_CREATE, variables, **kw)
    assert "errors" not in result, result
    payload: dict[str, Any] = result["data"]["tokenCreate"]
    return payload


async def jwks(app: SubgraphApp) -> httpx.Response:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app.asgi), base_url="http://subgraph.test"
    ) as http:
        return await http.get("/.well-known/jwks.json")


async def user_id(uow: AccountsUow, email: str) -> str:
    async with uow() as u:
        user = await u.users.by_email_key(email.casefold())
        assert user is not None
        return user.id


def totp(secret: str, at: datetime) -> str:
    return pyotp.TOTP(secret).at(at)
