"""Throttling sign-in: the account lock (5 failures in 15 minutes, 15 minutes, no oracle, never
permanent) and the per-IP limit, on a clock the test moves."""

from __future__ import annotations

from argon2 import extract_parameters

from subgraphs.accounts.domain.passwords import Argon2Parameters, Passwords
from subgraphs.accounts.services.runtime import AccountsRuntime
from subgraphs.accounts.services.throttle import MemoryFailureLimiter
from tests.accounts.support import PASSWORD, AccountsUow, FakeClock, Outbox, login, register
from tests.graphql_client import SubgraphClient

SET_PASSWORD = """
mutation Set($input: SetPasswordInput!) { setPassword(input: $input) { userErrors { code } } }
"""
RESET = (
    'mutation { requestPasswordReset(input: {email: "ada@example.com"}) { userErrors { code } } }'
)


async def _fail(client: SubgraphClient, times: int, email: str = "ada@example.com") -> None:
    for _ in range(times):
        result = await login(client, email, "wrong password")
        assert result["userErrors"][0]["code"] == "INVALID_CREDENTIALS"


async def test_five_failures_lock_the_account_and_the_lock_expires(
    client: SubgraphClient, clock: FakeClock
) -> None:
    await register(client, "ada@example.com")
    await _fail(client, 4)
    assert (await login(client, "ada@example.com"))["accessToken"]  # success resets the count

    await _fail(client, 5)
    locked = await login(client, "ada@example.com")  # the right password, during the lock
    wrong = await login(client, "ada@example.com", "wrong password")

    assert locked == wrong  # same answer as a wrong password: no oracle
    assert locked["userErrors"][0]["code"] == "INVALID_CREDENTIALS"
    clock.advance(minutes=14, seconds=59)
    assert (await login(client, "ada@example.com"))["accessToken"] is None
    clock.advance(seconds=1)
    assert (await login(client, "ada@example.com"))["accessToken"]


async def test_failures_during_a_lock_do_not_extend_it(
    client: SubgraphClient, clock: FakeClock
) -> None:
    await register(client, "ada@example.com")
    await _fail(client, 5)
    for _ in range(14):
        clock.advance(minutes=1)
        await _fail(client, 1)
    clock.advance(minutes=1)
    assert (await login(client, "ada@example.com"))["accessToken"]


async def test_a_password_reset_lifts_the_lock(
    client: SubgraphClient, clock: FakeClock, outbox: Outbox
) -> None:
    await register(client, "ada@example.com")
    await _fail(client, 5)
    await client.execute(RESET)
    token = outbox.token("ada@example.com", "password_reset")
    clock.advance(seconds=1)

    done = await client.execute(
        SET_PASSWORD, {"input": {"token": token, "password": "a new password"}}
    )

    assert done == {"data": {"setPassword": {"userErrors": []}}}
    assert (await login(client, "ada@example.com", "a new password"))["accessToken"]


async def test_failures_from_one_ip_are_limited_across_accounts(
    client: SubgraphClient, runtime: AccountsRuntime
) -> None:
    runtime.ip_failures = MemoryFailureLimiter(3)
    await register(client, "ada@example.com")
    attacker = {"x-forwarded-for": "203.0.113.7, 10.0.0.1"}
    for email in ("a@example.com", "b@example.com", "c@example.com"):
        assert (await login(client, email, headers=attacker))["userErrors"][0]["code"] == (
            "INVALID_CREDENTIALS"
        )

    blocked = await login(client, "ada@example.com", headers=attacker)
    elsewhere = await login(client, "ada@example.com", headers={"x-forwarded-for": "198.51.100.1"})

    assert blocked["userErrors"][0]["code"] == "RATE_LIMITED"
    assert elsewhere["accessToken"]


async def test_a_login_rehashes_when_the_parameters_grew(
    client: SubgraphClient, runtime: AccountsRuntime, accounts_uow: AccountsUow
) -> None:
    await register(client, "ada@example.com")
    runtime.passwords = Passwords(Argon2Parameters(memory_kib=24 * 1024, time_cost=3))

    assert (await login(client, "ada@example.com", PASSWORD))["accessToken"]

    async with accounts_uow() as uow:
        user = await uow.users.by_email_key("ada@example.com")
        assert user is not None
        assert user.password_hash is not None
        parameters = extract_parameters(user.password_hash)
        await uow.commit()
    assert (parameters.memory_cost, parameters.time_cost) == (24 * 1024, 3)
    assert (await login(client, "ada@example.com", PASSWORD))["accessToken"]


async def test_concurrent_failures_are_all_counted(
    client: SubgraphClient, clock: FakeClock
) -> None:
    """The user row is locked while a failure is recorded: parallel guesses lose no count."""
    import asyncio

    await register(client, "ada@example.com")

    await asyncio.gather(*[login(client, "ada@example.com", "wrong password") for _ in range(5)])

    assert (await login(client, "ada@example.com"))["accessToken"] is None  # locked
