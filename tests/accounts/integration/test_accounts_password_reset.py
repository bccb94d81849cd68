"""Password reset tokens: single use, one hour, bound to the account, void after a password
change; setting the password ends every session."""

from __future__ import annotations

from tests.accounts.support import TOKEN_REFRESH, AccountsUow, FakeClock, Outbox, login, register
from tests.graphql_client import SubgraphClient

RESET = """
mutation Reset($email: String!) { requestPasswordReset(input: {email: $email}) { userErrors { code } } }
"""
SET_PASSWORD = """
mutation Set($input: SetPasswordInput!) {
  setPassword(input: $input) { userErrors { field message code } }
}
"""


async def _set(client: SubgraphClient, token: str, password: str) -> list[dict[str, object]]:
    result = await client.execute(SET_PASSWORD, {"input": {"token": token, "password": password}})
    errors: list[dict[str, object]] = result["data"]["setPassword"]["userErrors"]
    return errors


async def _reset_token(
    client: SubgraphClient, outbox: Outbox, email: str = "ada@example.com"
) -> str:
    await client.execute(RESET, {"email": email})
    return outbox.token(email, "password_reset")


async def test_a_reset_token_works_once_and_ends_every_session(
    client: SubgraphClient, clock: FakeClock, outbox: Outbox
) -> None:
    await register(client, "ada@example.com")
    session = await login(client, "ada@example.com")
    token = await _reset_token(client, outbox)
    clock.advance(seconds=1)

    assert await _set(client, token, "brand new password") == []
    again = await _set(client, token, "another new password")

    assert again == [
        {
            "field": ["token"],
            "message": "The token is invalid or has expired.",
            "code": "INVALID_TOKEN",
        }
    ]
    assert (await login(client, "ada@example.com", "brand new password"))["accessToken"]
    refreshed = await client.execute(
        TOKEN_REFRESH, {"input": {"refreshToken": session["refreshToken"]}}
    )
    assert refreshed["data"]["tokenRefresh"]["accessToken"] is None  # old sessions revoked


async def test_a_reset_token_expires_after_one_hour(
    client: SubgraphClient, clock: FakeClock, outbox: Outbox
) -> None:
    await register(client, "ada@example.com")
    token = await _reset_token(client, outbox)
    clock.advance(minutes=60)

    assert (await _set(client, token, "brand new password"))[0]["code"] == "INVALID_TOKEN"


async def test_a_password_change_voids_older_tokens(
    client: SubgraphClient, clock: FakeClock, outbox: Outbox
) -> None:
    await register(client, "ada@example.com")
    older = await _reset_token(client, outbox)
    clock.advance(seconds=1)
    newer = await _reset_token(client, outbox)
    clock.advance(seconds=1)

    assert await _set(client, newer, "brand new password") == []
    assert (await _set(client, older, "attacker password"))[0]["code"] == "INVALID_TOKEN"


async def test_the_token_is_stored_hashed_and_the_new_password_follows_the_policy(
    client: SubgraphClient, clock: FakeClock, outbox: Outbox, accounts_uow: AccountsUow
) -> None:
    await register(client, "ada@example.com")
    token = await _reset_token(client, outbox)

    async with accounts_uow() as uow:
        assert await uow.one_time_tokens.by_hash(token) is None  # not stored in clear
        await uow.commit()
    assert (await _set(client, token, "short"))[0]["code"] == "PASSWORD_TOO_SHORT"
    assert (await _set(client, "made-up-token", "brand new password"))[0]["code"] == "INVALID_TOKEN"
    assert await _set(client, token, "brand new password") == []  # a refused try did not spend it
