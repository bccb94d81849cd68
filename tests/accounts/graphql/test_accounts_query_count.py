"""STYLE habit 4: an ``_entities`` batch of customers with their address books reads the same
number of times for 5 customers as for 20 (one DataLoader batch per relation), and the staff
read audit is one transaction per request, not one per customer."""

from __future__ import annotations

from shared.app import SubgraphApp
from shared.auth import Permission, Principal
from subgraphs.accounts.services.audit import verify_audit_chain
from subgraphs.accounts.services.manage_addresses import create_address
from tests.accounts.support import AccountsUow, FakeClock, register, user_id
from tests.graphql_client import SubgraphClient, staff
from tests.sql_counting import counting_sql

CUSTOMERS = """
query Customers($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Customer { id email addresses { city } defaultShippingAddress { city } }
  }
}
"""


async def test_an_entities_batch_reads_the_same_for_5_and_20_customers(
    accounts: SubgraphApp, client: SubgraphClient, accounts_uow: AccountsUow, clock: FakeClock
) -> None:
    ids = []
    for i in range(20):
        email = f"c{i}@example.com"
        await register(client, email)
        ids.append(await user_id(accounts_uow, email))
        data = {
            "first_name": "C",
            "last_name": str(i),
            "street1": "1 Way",
            "city": f"City {i}",
            "country_code": "DE",
        }
        await create_address(accounts_uow, actor=Principal.customer(ids[-1]), data=data)
    support = staff(Permission.MANAGE_CUSTOMERS)

    reads: dict[int, int] = {}
    commits: dict[int, int] = {}
    for n in (5, 20):
        representations = [{"__typename": "Customer", "id": i} for i in ids[:n]]
        with counting_sql(accounts.infra.database) as statements:
            result = await client.execute(
                CUSTOMERS, {"representations": representations}, principal=support
            )
        assert "errors" not in result, result
        assert [c["addresses"][0]["city"] for c in result["data"]["_entities"]] == [
            f"City {i}" for i in range(n)
        ]
        reads[n] = sum(1 for s in statements if s.lstrip().upper().startswith("SELECT"))
        commits[n] = sum(1 for s in statements if "UPDATE audit_head" in s)

    assert reads[5] == reads[20]
    # One audit transaction per request: its head is locked once and moved once.
    assert commits == {5: 2, 20: 2}
    verdict = await verify_audit_chain(accounts.infra.database)
    assert (verdict.ok, verdict.entries) == (True, 25)
