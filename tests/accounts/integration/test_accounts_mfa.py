"""TOTP enrolment and sign-in: codes never accepted twice, recovery codes single use, staff
permissions only in sessions that passed MFA."""

from __future__ import annotations

from typing import Any

from shared.app import SubgraphApp
from shared.auth import Permission, Principal
from subgraphs.accounts.domain.tokens import decode_access_token
from subgraphs.accounts.services.seed_staff import (
    DEMO_ADMIN_EMAIL,
    DEMO_ADMIN_PASSWORD,
    DEMO_TOTP_SECRET,
    seed_demo_staff,
)
from tests.accounts.support import AccountsUow, FakeClock, jwks, login, register, totp, user_id
from tests.graphql_client import SubgraphClient, staff

ENROLL_START = "mutation { accountMfaEnrollStart { secret otpauthUri userErrors { code } } }"
ENROLL_CONFIRM = """
mutation Confirm($code: String!) {
  accountMfaEnrollConfirm(input: {code: $code}) { recoveryCodes userErrors { field code } }
}
"""
GROUP_CREATE = """
mutation Group($input: PermissionGroupCreateInput!) {
  permissionGroupCreate(input: $input) {
    permissionGroup { id name permissions } userErrors { field code }
  }
}
"""
STAFF_CREATE = """
mutation Staff($input: StaffCreateInput!) {
  staffCreate(input: $input) {
    staffUser { id email mfaEnabled permissionGroups { name } } userErrors { field code }
  }
}
"""


async def _enrol(
    client: SubgraphClient, principal: Principal, clock: FakeClock
) -> tuple[str, list[str]]:
    started = (await client.execute(ENROLL_START, principal=principal))["data"][
        "accountMfaEnrollStart"
    ]
    assert started["otpauthUri"].startswith("otpauth://totp/Agora:")
    secret: str = started["secret"]
    confirmed = await client.execute(
        ENROLL_CONFIRM, {"code": totp(secret, clock.now)}, principal=principal
    )
    codes: list[str] = confirmed["data"]["accountMfaEnrollConfirm"]["recoveryCodes"]
    return secret, codes


async def _claims(app: SubgraphApp, token: str) -> dict[str, Any]:
    # The test's clock runs ahead of the wall clock pyjwt checks ``iat`` against.
    return decode_access_token(token, (await jwks(app)).json()["keys"], leeway=3600)


async def test_totp_sign_in_refuses_a_replayed_code(
    accounts: SubgraphApp, client: SubgraphClient, clock: FakeClock, accounts_uow: AccountsUow
) -> None:
    await register(client, "ada@example.com")
    me = Principal.customer(await user_id(accounts_uow, "ada@example.com"))
    secret, codes = await _enrol(client, me, clock)
    assert len(codes) == 10
    clock.advance(seconds=30)

    missing = await login(client, "ada@example.com")
    code = totp(secret, clock.now)
    first = await login(client, "ada@example.com", otp=code)
    replay = await login(client, "ada@example.com", otp=code)

    assert missing["userErrors"][0]["code"] == "MFA_REQUIRED"
    assert (await _claims(accounts, first["accessToken"]))["mfa"] is True
    assert replay["userErrors"][0]["code"] == "INVALID_CREDENTIALS"
    clock.advance(seconds=30)
    assert (await login(client, "ada@example.com", otp=totp(secret, clock.now)))["accessToken"]


async def test_the_enrolment_code_cannot_be_replayed_to_sign_in(
    client: SubgraphClient, clock: FakeClock, accounts_uow: AccountsUow
) -> None:
    await register(client, "ada@example.com")
    me = Principal.customer(await user_id(accounts_uow, "ada@example.com"))
    secret, _ = await _enrol(client, me, clock)

    replay = await login(client, "ada@example.com", otp=totp(secret, clock.now))

    assert replay["userErrors"][0]["code"] == "INVALID_CREDENTIALS"


async def test_recovery_codes_work_once_each(
    client: SubgraphClient, clock: FakeClock, accounts_uow: AccountsUow
) -> None:
    await register(client, "ada@example.com")
    me = Principal.customer(await user_id(accounts_uow, "ada@example.com"))
    _, codes = await _enrol(client, me, clock)

    assert (await login(client, "ada@example.com", otp=codes[0]))["accessToken"]
    assert (await login(client, "ada@example.com", otp=codes[0]))["userErrors"][0]["code"] == (
        "INVALID_CREDENTIALS"
    )
    assert (await login(client, "ada@example.com", otp=codes[1].upper()))["accessToken"]
    assert (await login(client, "ada@example.com", otp="0000-0000"))["accessToken"] is None


async def test_staff_permissions_are_absent_without_mfa(
    accounts: SubgraphApp, client: SubgraphClient, clock: FakeClock
) -> None:
    manager = staff(Permission.MANAGE_STAFF, Permission.MANAGE_PRODUCTS)
    group = await client.execute(
        GROUP_CREATE,
        {"input": {"name": "Catalog", "permissions": ["MANAGE_PRODUCTS"]}},
        principal=manager,
    )
    group_id = group["data"]["permissionGroupCreate"]["permissionGroup"]["id"]
    created = await client.execute(
        STAFF_CREATE,
        {
            "input": {
                "email": "bo@agora.local",
                "password": "staff password",
                "groupIds": [group_id],
            }
        },
        principal=manager,
    )
    member = created["data"]["staffCreate"]["staffUser"]
    assert member["permissionGroups"] == [{"name": "Catalog"}]

    without = await _claims(
        accounts, (await login(client, "bo@agora.local", "staff password"))["accessToken"]
    )
    assert (without["typ"], without["mfa"], without["perms"]) == ("staff", False, [])

    secret, _ = await _enrol(client, Principal.staff(member["id"], mfa=False), clock)
    clock.advance(seconds=30)
    signed = await login(client, "bo@agora.local", "staff password", otp=totp(secret, clock.now))
    with_mfa = await _claims(accounts, signed["accessToken"])
    assert (with_mfa["mfa"], with_mfa["perms"]) == (True, ["MANAGE_PRODUCTS"])


async def test_the_demo_admin_signs_in_with_its_known_totp_secret(
    accounts: SubgraphApp, client: SubgraphClient, clock: FakeClock, accounts_uow: AccountsUow
) -> None:
    printed: list[str] = []
    assert await seed_demo_staff(accounts_uow, production=False, echo=printed.append)
    assert await seed_demo_staff(accounts_uow, production=False, echo=printed.append) is None
    assert DEMO_TOTP_SECRET in printed[0]

    signed = await login(
        client, DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD, otp=totp(DEMO_TOTP_SECRET, clock.now)
    )

    claims = await _claims(accounts, signed["accessToken"])
    assert claims["perms"] == sorted(p.value for p in Permission)
    assert claims["mfa"] is True


async def test_staff_administration_needs_manage_staff_with_mfa_and_cannot_escalate(
    client: SubgraphClient, clock: FakeClock
) -> None:
    variables = {"input": {"name": "Orders", "permissions": ["MANAGE_ORDERS"]}}
    for principal in (Principal.customer("c1"), staff(Permission.MANAGE_STAFF, mfa=False)):
        refused = await client.execute(GROUP_CREATE, variables, principal=principal)
        assert refused["data"] is None
        assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"

    escalation = await client.execute(
        GROUP_CREATE, variables, principal=staff(Permission.MANAGE_STAFF)
    )
    assert escalation["data"]["permissionGroupCreate"] == {
        "permissionGroup": None,
        "userErrors": [{"field": ["permissions"], "code": "PERMISSION_NOT_HELD"}],
    }
