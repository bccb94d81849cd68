"""Refresh tokens (rotation, reuse revokes the family, revoke), and the JWKS (shape, caching,
rotation keeping old keys until their tokens expired)."""

from __future__ import annotations

from datetime import timedelta

import jwt

from shared.app import SubgraphApp
from subgraphs.accounts.domain.tokens import decode_access_token
from subgraphs.accounts.services.runtime import AccountsRuntime
from tests.accounts.support import TOKEN_REFRESH, FakeClock, jwks, login, register
from tests.graphql_client import SubgraphClient

REVOKE = """
mutation Revoke($token: String!) { tokenRevoke(input: {refreshToken: $token}) { userErrors { code } } }
"""


async def _refresh(client: SubgraphClient, token: str) -> dict[str, object]:
    result = await client.execute(TOKEN_REFRESH, {"input": {"refreshToken": token}})
    payload: dict[str, object] = result["data"]["tokenRefresh"]
    return payload


async def test_refresh_rotates_and_reuse_revokes_the_whole_family(
    accounts: SubgraphApp, client: SubgraphClient, clock: FakeClock
) -> None:
    await register(client, "ada@example.com")
    first = await login(client, "ada@example.com")
    keys = (await jwks(accounts)).json()["keys"]

    second = await _refresh(client, first["refreshToken"])
    assert second["userErrors"] == []
    assert second["refreshToken"] != first["refreshToken"]
    sid = decode_access_token(first["accessToken"], keys)["sid"]
    assert decode_access_token(str(second["accessToken"]), keys)["sid"] == sid
    third = await _refresh(client, str(second["refreshToken"]))
    assert third["userErrors"] == []

    replayed = await _refresh(client, first["refreshToken"])  # a stolen, already-used token

    assert replayed["userErrors"] == [
        {
            "field": ["refreshToken"],
            "message": "The token is invalid or has expired.",
            "code": "INVALID_TOKEN",
        }
    ]
    latest = await _refresh(client, str(third["refreshToken"]))
    assert latest["accessToken"] is None  # the legitimate holder's token died with the family
    other_session = await login(client, "ada@example.com")
    assert (await _refresh(client, other_session["refreshToken"]))["userErrors"] == []


async def test_revoke_ends_the_session_and_unknown_tokens_are_ignored(
    client: SubgraphClient, clock: FakeClock
) -> None:
    await register(client, "ada@example.com")
    session = await login(client, "ada@example.com")

    assert await client.execute(REVOKE, {"token": session["refreshToken"]}) == {
        "data": {"tokenRevoke": {"userErrors": []}}
    }
    assert await client.execute(REVOKE, {"token": "garbage"}) == {
        "data": {"tokenRevoke": {"userErrors": []}}
    }
    assert (await _refresh(client, session["refreshToken"]))["accessToken"] is None


async def test_refresh_tokens_expire_after_thirty_days(
    client: SubgraphClient, clock: FakeClock
) -> None:
    await register(client, "ada@example.com")
    session = await login(client, "ada@example.com")
    clock.advance(days=30)
    assert (await _refresh(client, session["refreshToken"]))["accessToken"] is None


async def test_jwks_shape_and_cache_headers(accounts: SubgraphApp, clock: FakeClock) -> None:
    response = await jwks(accounts)

    assert response.status_code == 200
    max_age = int(response.headers["cache-control"].split("max-age=")[1])
    assert 0 < max_age <= 300
    (key,) = response.json()["keys"]
    assert set(key) == {"kty", "crv", "x", "y", "kid", "use", "alg"}
    assert (key["kty"], key["crv"], key["use"], key["alg"]) == ("EC", "P-256", "sig", "ES256")
    assert "d" not in key  # never the private part


async def test_keys_rotate_and_old_ones_stay_published_until_their_tokens_expired(
    accounts: SubgraphApp, client: SubgraphClient, clock: FakeClock, runtime: AccountsRuntime
) -> None:
    runtime.keys.max_age = timedelta(hours=1)
    await register(client, "ada@example.com")
    old_token = (await login(client, "ada@example.com"))["accessToken"]
    (old_key,) = (await jwks(accounts)).json()["keys"]

    clock.advance(hours=1)
    new_token = (await login(client, "ada@example.com"))["accessToken"]
    published = (await jwks(accounts)).json()["keys"]

    assert [k["kid"] for k in published][1:] == [old_key["kid"]]
    new_kid = published[0]["kid"]
    assert new_kid != old_key["kid"]
    assert jwt.get_unverified_header(new_token)["kid"] == new_kid
    assert old_key in published  # the old key still verifies what it signed
    clock.advance(minutes=15, seconds=1)
    assert [k["kid"] for k in (await jwks(accounts)).json()["keys"]] == [new_kid]
    assert jwt.get_unverified_header(old_token)["kid"] == old_key["kid"]
