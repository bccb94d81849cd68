"""Email change: the token goes to the new address and is bound to the account that asked and
to that address (Saleor's 2026 advisory); a taken address gets a notice, not a token."""

from __future__ import annotations

from shared.auth import Principal
from tests.accounts.support import ME, AccountsUow, FakeClock, Outbox, login, register, user_id
from tests.graphql_client import SubgraphClient

REQUEST = """
mutation Req($input: AccountRequestEmailChangeInput!) {
  accountRequestEmailChange(input: $input) { userErrors { field code } }
}
"""
CONFIRM = """
mutation Confirm($token: String!) {
  accountConfirmEmailChange(input: {token: $token}) { customer { email } userErrors { field code } }
}
"""


async def _customers(client: SubgraphClient, uow: AccountsUow) -> tuple[Principal, Principal]:
    await register(client, "ada@example.com")
    await register(client, "mallory@example.com")
    return (
        Principal.customer(await user_id(uow, "ada@example.com")),
        Principal.customer(await user_id(uow, "mallory@example.com")),
    )


async def test_the_token_only_works_for_the_account_that_asked(
    client: SubgraphClient, accounts_uow: AccountsUow, outbox: Outbox, clock: FakeClock
) -> None:
    ada, mallory = await _customers(client, accounts_uow)
    asked = await client.execute(
        REQUEST,
        {"input": {"newEmail": "ada@new.example", "password": "correct horse battery"}},
        principal=ada,
    )
    assert asked == {"data": {"accountRequestEmailChange": {"userErrors": []}}}
    token = outbox.token("ada@new.example", "email_change")

    stolen = await client.execute(CONFIRM, {"token": token}, principal=mallory)
    assert stolen["data"]["accountConfirmEmailChange"]["userErrors"] == [
        {"field": ["token"], "code": "INVALID_TOKEN"}
    ]
    assert (await client.execute(ME, principal=mallory))["data"]["me"][
        "email"
    ] == "mallory@example.com"

    confirmed = await client.execute(CONFIRM, {"token": token}, principal=ada)
    assert confirmed["data"]["accountConfirmEmailChange"] == {
        "customer": {"email": "ada@new.example"},
        "userErrors": [],
    }
    assert outbox.messages(to="ada@example.com", kind="email_changed")
    assert (await login(client, "ada@new.example"))["accessToken"]
    assert (await login(client, "ada@example.com"))["accessToken"] is None
    again = await client.execute(CONFIRM, {"token": token}, principal=ada)
    assert again["data"]["accountConfirmEmailChange"]["userErrors"][0]["code"] == "INVALID_TOKEN"


async def test_a_taken_address_gets_a_notice_and_the_same_answer(
    client: SubgraphClient, accounts_uow: AccountsUow, outbox: Outbox, clock: FakeClock
) -> None:
    ada, _ = await _customers(client, accounts_uow)

    taken = await client.execute(
        REQUEST,
        {"input": {"newEmail": "mallory@example.com", "password": "correct horse battery"}},
        principal=ada,
    )
    wrong_password = await client.execute(
        REQUEST,
        {"input": {"newEmail": "x@example.com", "password": "nope nope nope"}},
        principal=ada,
    )

    assert taken == {"data": {"accountRequestEmailChange": {"userErrors": []}}}
    assert [m["kind"] for m in outbox.messages(to="mallory@example.com")] == [
        "welcome",
        "email_change_taken",
    ]
    assert wrong_password["data"]["accountRequestEmailChange"]["userErrors"] == [
        {"field": ["password"], "code": "INVALID_CREDENTIALS"}
    ]
    anonymous = await client.execute(
        REQUEST, {"input": {"newEmail": "x@example.com", "password": "p"}}
    )
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
