"""The address book: create (first one becomes both defaults), validate, update, choose
defaults, delete; another customer's address is NOT_FOUND; retries with a key create once."""

from __future__ import annotations

from typing import Any

from shared.auth import Principal
from tests.accounts.support import AccountsUow, FakeClock, register, user_id
from tests.graphql_client import SubgraphClient

CREATE = """
mutation Create($input: AddressInput!, $key: String) {
  accountAddressCreate(input: $input, idempotencyKey: $key) {
    address { id city countryCode } userErrors { field code }
  }
}
"""
UPDATE = """
mutation Update($input: AccountAddressUpdateInput!) {
  accountAddressUpdate(input: $input) { address { id city phone } userErrors { field code } }
}
"""
SET_DEFAULT = """
mutation Default($input: AccountSetDefaultAddressInput!) {
  accountSetDefaultAddress(input: $input) {
    customer { defaultShippingAddress { id } defaultBillingAddress { id } } userErrors { code }
  }
}
"""
DELETE = """
mutation Delete($id: ID!) { accountAddressDelete(input: {id: $id}) { userErrors { field code } } }
"""
BOOK = (
    "query { me { addresses { id } defaultShippingAddress { id } defaultBillingAddress { id } } }"
)


def address(**changes: Any) -> dict[str, Any]:
    return {
        "firstName": "Ada",
        "lastName": "Lovelace",
        "company": "Analytical Engines Ltd",
        "street1": "1 Analytical Row",
        "city": "London",
        "postalCode": "N1 7AA",
        "countryCode": "gb",
        "phone": "+44 20 7946 0000",
        **changes,
    }


async def test_the_address_book(
    client: SubgraphClient, accounts_uow: AccountsUow, clock: FakeClock
) -> None:
    await register(client, "ada@example.com")
    ada = Principal.customer(await user_id(accounts_uow, "ada@example.com"))

    home = (await client.execute(CREATE, {"input": address()}, principal=ada))["data"][
        "accountAddressCreate"
    ]
    work = (await client.execute(CREATE, {"input": address(city="Oxford")}, principal=ada))["data"][
        "accountAddressCreate"
    ]
    assert home["address"]["countryCode"] == "GB"
    home_id, work_id = home["address"]["id"], work["address"]["id"]
    book = (await client.execute(BOOK, principal=ada))["data"]["me"]
    assert book == {
        "addresses": [{"id": home_id}, {"id": work_id}],
        "defaultShippingAddress": {"id": home_id},
        "defaultBillingAddress": {"id": home_id},
    }

    updated = await client.execute(
        UPDATE, {"input": {"id": work_id, "address": {"phone": "+44 1865 000000"}}}, principal=ada
    )
    assert updated["data"]["accountAddressUpdate"]["address"] == {
        "id": work_id,
        "city": "Oxford",
        "phone": "+44 1865 000000",
    }
    chosen = await client.execute(
        SET_DEFAULT, {"input": {"id": work_id, "type": "BILLING"}}, principal=ada
    )
    assert chosen["data"]["accountSetDefaultAddress"]["customer"] == {
        "defaultShippingAddress": {"id": home_id},
        "defaultBillingAddress": {"id": work_id},
    }
    assert (await client.execute(DELETE, {"id": work_id}, principal=ada))["data"][
        "accountAddressDelete"
    ] == {"userErrors": []}
    book = (await client.execute(BOOK, principal=ada))["data"]["me"]
    assert book["addresses"] == [{"id": home_id}]
    assert book["defaultBillingAddress"] is None


async def test_bad_input_and_another_customers_address(
    client: SubgraphClient, accounts_uow: AccountsUow, clock: FakeClock
) -> None:
    await register(client, "ada@example.com")
    ada = Principal.customer(await user_id(accounts_uow, "ada@example.com"))
    mallory = Principal.customer("mallory")

    bad_country = await client.execute(CREATE, {"input": address(countryCode="XX")}, principal=ada)
    missing = await client.execute(CREATE, {"input": address(street1="  ")}, principal=ada)
    assert bad_country["data"]["accountAddressCreate"]["userErrors"] == [
        {"field": ["countryCode"], "code": "INVALID"}
    ]
    assert missing["data"]["accountAddressCreate"]["userErrors"] == [
        {"field": ["street1"], "code": "REQUIRED"}
    ]

    home_id = (await client.execute(CREATE, {"input": address()}, principal=ada))["data"][
        "accountAddressCreate"
    ]["address"]["id"]
    for document, variables in [
        (UPDATE, {"input": {"id": home_id, "address": {"city": "Nowhere"}}}),
        (DELETE, {"id": home_id}),
    ]:
        result = await client.execute(document, variables, principal=mallory)
        (payload,) = result["data"].values()
        assert payload["userErrors"] == [{"field": ["id"], "code": "NOT_FOUND"}]
    assert len((await client.execute(BOOK, principal=ada))["data"]["me"]["addresses"]) == 1


async def test_a_retry_with_the_same_key_creates_one_address(
    client: SubgraphClient, accounts_uow: AccountsUow, clock: FakeClock
) -> None:
    await register(client, "ada@example.com")
    ada = Principal.customer(await user_id(accounts_uow, "ada@example.com"))

    first = await client.execute(CREATE, {"input": address(), "key": "k-1"}, principal=ada)
    again = await client.execute(CREATE, {"input": address(), "key": "k-1"}, principal=ada)
    other = await client.execute(
        CREATE, {"input": address(city="Bath"), "key": "k-1"}, principal=ada
    )

    assert first == again
    assert other["data"]["accountAddressCreate"]["userErrors"] == [
        {"field": ["idempotencyKey"], "code": "IDEMPOTENCY_KEY_REUSED"}
    ]
    assert len((await client.execute(BOOK, principal=ada))["data"]["me"]["addresses"]) == 1
