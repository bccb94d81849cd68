"""Object-level authorization of Customer and Address: only the owner (or staff with
MANAGE_CUSTOMERS, MFA passed) reads them, through ``_entities`` and through queries."""

from __future__ import annotations

from shared.auth import Permission, Principal
from subgraphs.accounts.services.manage_addresses import create_address
from tests.accounts.support import AccountsUow, FakeClock, register, user_id
from tests.graphql_client import SubgraphClient, staff
from tests.support.bola import OwnedQuery, assert_owner_only

ADDRESS = {
    "first_name": "Ada",
    "last_name": "Lovelace",
    "street1": "1 Analytical Row",
    "city": "London",
    "postal_code": "N1 7AA",
    "country_code": "gb",
}
ENTITIES = """
query E($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Customer { id email addresses { id } } }
}
"""


async def _ada(client: SubgraphClient, uow: AccountsUow) -> tuple[Principal, str]:
    await register(client, "ada@example.com")
    ada = Principal.customer(await user_id(uow, "ada@example.com"))
    address = await create_address(uow, actor=ada, data=dict(ADDRESS))
    return ada, address.id


async def test_a_customer_is_visible_to_itself_only(
    client: SubgraphClient, accounts_uow: AccountsUow, clock: FakeClock
) -> None:
    ada, _ = await _ada(client, accounts_uow)
    assert ada.id is not None

    await assert_owner_only(
        client,
        typename="Customer",
        object_id=ada.id,
        owner=ada,
        selection="id email firstName addresses { street1 }",
        queries=[OwnedQuery("query { me { id email } }", {}, ("me",))],
    )


async def test_an_address_is_visible_to_its_owner_only(
    client: SubgraphClient, accounts_uow: AccountsUow, clock: FakeClock
) -> None:
    ada, address_id = await _ada(client, accounts_uow)

    await assert_owner_only(
        client,
        typename="Address",
        object_id=address_id,
        owner=ada,
        selection="id street1 city countryCode",
    )


async def test_staff_with_manage_customers_reads_customers_and_is_audited(
    client: SubgraphClient, accounts_uow: AccountsUow, clock: FakeClock
) -> None:
    ada, address_id = await _ada(client, accounts_uow)
    support = staff(Permission.MANAGE_CUSTOMERS, staff_id="support-1")

    found = await client.execute(
        ENTITIES, {"representations": [{"__typename": "Customer", "id": ada.id}]}, principal=support
    )
    read = await client.execute(
        "query C($id: ID!) { customer(id: $id) { id email } }", {"id": ada.id}, principal=support
    )
    log = await client.execute(
        "query { auditLog(first: 5) { edges { node { actor action targetId } } } }",
        principal=staff(Permission.VIEW_AUDIT_LOG),
    )

    assert found["data"]["_entities"] == [
        {"id": ada.id, "email": "ada@example.com", "addresses": [{"id": address_id}]}
    ]
    assert read["data"]["customer"] == {"id": ada.id, "email": "ada@example.com"}
    nodes = [e["node"] for e in log["data"]["auditLog"]["edges"]]
    read_entry = {"actor": "staff:support-1", "action": "customer.read", "targetId": ada.id}
    assert nodes.count(read_entry) == 2  # one through _entities, one through the query
    refused = await client.execute(
        "query C($id: ID!) { customer(id: $id) { id } }",
        {"id": ada.id},
        principal=Principal.customer("x"),
    )
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
