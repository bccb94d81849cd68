"""Register and sign in through GraphQL: the JWT contract the router verifies, and answers that
never tell whether an email has an account."""

from __future__ import annotations

import jwt

from shared.app import SubgraphApp
from shared.auth import Principal
from subgraphs.accounts.domain.tokens import decode_access_token
from tests.accounts.support import (
    ME,
    PASSWORD,
    AccountsUow,
    FakeClock,
    Outbox,
    jwks,
    login,
    register,
    user_id,
)
from tests.graphql_client import SubgraphClient

RESET = """
mutation Reset($email: String!) {
  requestPasswordReset(input: {email: $email}) { userErrors { field message code } }
}
"""


async def test_a_customer_registers_signs_in_and_reads_me(
    accounts: SubgraphApp, client: SubgraphClient, accounts_uow: AccountsUow, outbox: Outbox
) -> None:
    payload = await register(client, "  Ada@Example.COM ", firstName="Ada", lastName="Lovelace")

    assert payload == {"customer": None, "userErrors": []}
    assert [m["kind"] for m in outbox.messages(to="Ada@example.com")] == ["welcome"]

    tokens = await login(client, "ada@EXAMPLE.com")
    assert tokens["userErrors"] == []
    published = (await jwks(accounts)).json()["keys"]
    claims = decode_access_token(tokens["accessToken"], published)
    header = jwt.get_unverified_header(tokens["accessToken"])
    customer_id = await user_id(accounts_uow, "ada@example.com")
    assert header["alg"] == "ES256"
    assert header["kid"] == published[0]["kid"]
    assert claims["iss"] == "agora-accounts"
    assert claims["aud"] == "agora"
    assert claims["sub"] == customer_id
    assert claims["typ"] == "customer"
    assert claims["mfa"] is False
    assert "perms" not in claims
    assert claims["exp"] - claims["iat"] == 15 * 60
    assert claims["sid"]
    assert claims["jti"]

    me = await client.execute(ME, principal=Principal.customer(customer_id))
    assert me == {
        "data": {
            "me": {
                "id": customer_id,
                "email": "Ada@example.com",
                "firstName": "Ada",
                "lastName": "Lovelace",
            }
        }
    }
    assert await client.execute(ME) == {"data": {"me": None}}


async def test_registering_a_known_email_answers_the_same_and_mails_the_owner(
    client: SubgraphClient, outbox: Outbox
) -> None:
    first = await register(client, "ada@example.com")
    again = await register(client, "ADA@example.com", password="another password")

    assert first == again == {"customer": None, "userErrors": []}
    kinds = [m["kind"] for m in outbox.messages(to="ada@example.com")]
    assert kinds == ["welcome", "register_existing"]
    # The first password still works; the second registration changed nothing.
    assert (await login(client, "ada@example.com"))["userErrors"] == []
    refused = await login(client, "ada@example.com", "another password")
    assert refused["userErrors"][0]["code"] == "INVALID_CREDENTIALS"


async def test_password_policy_errors_come_before_any_lookup(client: SubgraphClient) -> None:
    await register(client, "ada@example.com")

    for email in ("ada@example.com", "new@example.com"):
        short = await register(client, email, password="short")
        same = await register(client, email, password=email.upper())
        assert short["userErrors"] == [
            {
                "field": ["password"],
                "message": "Use at least 8 characters.",
                "code": "PASSWORD_TOO_SHORT",
            }
        ]
        assert same["userErrors"][0]["code"] == "PASSWORD_TOO_SIMILAR"
    bad = await register(client, "not-an-email")
    assert bad["userErrors"][0]["code"] == "INVALID_EMAIL"


async def test_sign_in_failures_do_not_tell_which_part_was_wrong(
    client: SubgraphClient, clock: FakeClock
) -> None:
    await register(client, "ada@example.com")

    unknown = await login(client, "nobody@example.com")
    wrong = await login(client, "ada@example.com", "wrong password")

    assert unknown == wrong
    assert wrong == {
        "accessToken": None,
        "refreshToken": None,
        "userErrors": [
            {
                "field": None,
                "message": "The email or password is not right.",
                "code": "INVALID_CREDENTIALS",
            }
        ],
    }


async def test_password_reset_answers_the_same_for_any_email(
    client: SubgraphClient, outbox: Outbox
) -> None:
    await register(client, "ada@example.com")

    known = await client.execute(RESET, {"email": "ada@example.com"})
    unknown = await client.execute(RESET, {"email": "nobody@example.com"})
    malformed = await client.execute(RESET, {"email": "nope"})

    assert known == unknown == malformed
    assert known == {"data": {"requestPasswordReset": {"userErrors": []}}}
    assert len(outbox.messages(to="ada@example.com", kind="password_reset")) == 1
    assert outbox.messages(to="nobody@example.com") == []


async def test_password_is_usable_after_register(client: SubgraphClient) -> None:
    await register(client, "ada@example.com", password=PASSWORD)
    assert (await login(client, "ada@example.com", PASSWORD))["accessToken"]


async def test_a_customer_updates_their_profile_and_register_retries_are_safe(
    client: SubgraphClient, accounts_uow: AccountsUow, outbox: Outbox
) -> None:
    variables = {"input": {"email": "ada@example.com", "password": PASSWORD}, "key": "reg-1"}
    document = """
    mutation R($input: AccountRegisterInput!, $key: String) {
      accountRegister(input: $input, idempotencyKey: $key) { userErrors { code } }
    }
    """
    assert (await client.execute(document, variables)) == (
        await client.execute(document, variables)
    )
    assert len(outbox.messages(to="ada@example.com")) == 1  # the retry sent nothing
    ada = Principal.customer(await user_id(accounts_uow, "ada@example.com"))

    updated = await client.execute(
        'mutation { accountUpdate(input: {firstName: " Ada  ", lastName: "King"}) '
        "{ customer { firstName lastName } userErrors { code } } }",
        principal=ada,
    )

    assert updated == {
        "data": {
            "accountUpdate": {
                "customer": {"firstName": "Ada", "lastName": "King"},
                "userErrors": [],
            }
        }
    }
