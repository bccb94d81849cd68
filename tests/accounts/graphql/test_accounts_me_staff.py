"""``meStaff``: the signed-in staff member with the permissions they hold right now (none
before MFA) — what the admin uses to show only what one may do; null for everyone else."""

from __future__ import annotations

from shared.auth import Permission, Principal
from subgraphs.accounts.services.seed_staff import DEMO_ADMIN_EMAIL, seed_demo_staff
from tests.accounts.support import AccountsUow, FakeClock, register, user_id
from tests.graphql_client import SubgraphClient

ME_STAFF = "{ meStaff { staff { email } permissions mfa } }"


async def test_staff_see_their_effective_permissions_others_nothing(
    client: SubgraphClient, accounts_uow: AccountsUow, clock: FakeClock
) -> None:
    await seed_demo_staff(accounts_uow, production=False, echo=lambda _: None)
    admin_id = await user_id(accounts_uow, DEMO_ADMIN_EMAIL)
    with_mfa = Principal.staff(admin_id, frozenset({Permission.MANAGE_ORDERS}), mfa=True)
    seen = (await client.execute(ME_STAFF, principal=with_mfa))["data"]["meStaff"]
    assert seen == {
        "staff": {"email": DEMO_ADMIN_EMAIL},
        "permissions": ["MANAGE_ORDERS"],
        "mfa": True,
    }
    without = Principal.staff(admin_id, frozenset({Permission.MANAGE_ORDERS}), mfa=False)
    seen = (await client.execute(ME_STAFF, principal=without))["data"]["meStaff"]
    assert (seen["permissions"], seen["mfa"]) == ([], False)

    await register(client, "ada@example.com")
    ada = Principal.customer(await user_id(accounts_uow, "ada@example.com"))
    assert (await client.execute(ME_STAFF, principal=ada))["data"]["meStaff"] is None
    assert (await client.execute(ME_STAFF))["data"]["meStaff"] is None
    ghost = Principal.staff("no-such-staff", frozenset(Permission), mfa=True)
    assert (await client.execute(ME_STAFF, principal=ghost))["data"]["meStaff"] is None
