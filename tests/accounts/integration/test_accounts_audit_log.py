"""The hash-chained audit log: staff actions recorded, readable with VIEW_AUDIT_LOG, and any
edit or removal of an entry detected by ``verify_audit_chain``."""

from __future__ import annotations

import asyncio

from sqlalchemy import text

from shared.app import SubgraphApp
from shared.auth import Permission, Principal
from subgraphs.accounts.services.audit import verify_audit_chain
from subgraphs.accounts.services.manage_staff import create_group
from subgraphs.accounts.services.runtime import AccountsRuntime
from tests.accounts.support import AccountsUow
from tests.graphql_client import SubgraphClient, staff

AUDIT = """
query Audit($first: Int, $after: String) {
  auditLog(first: $first, after: $after) {
    edges { node { seq actor action targetType details prevHash hash } }
    pageInfo { hasNextPage endCursor }
  }
}
"""
MANAGER = staff(Permission.MANAGE_STAFF, Permission.MANAGE_PRODUCTS, staff_id="manager-1")


async def _groups(uow: AccountsUow, runtime: AccountsRuntime, count: int) -> None:
    for i in range(count):
        await create_group(
            uow, runtime, actor=MANAGER, name=f"Group {i}", permissions=[Permission.MANAGE_PRODUCTS]
        )


async def test_staff_actions_are_chained_and_paged_newest_first(
    client: SubgraphClient, accounts_uow: AccountsUow, runtime: AccountsRuntime
) -> None:
    await _groups(accounts_uow, runtime, 3)

    first = (await client.execute(AUDIT, {"first": 2}, principal=staff(Permission.VIEW_AUDIT_LOG)))[
        "data"
    ]["auditLog"]
    rest = (
        await client.execute(
            AUDIT,
            {"first": 2, "after": first["pageInfo"]["endCursor"]},
            principal=staff(Permission.VIEW_AUDIT_LOG),
        )
    )["data"]["auditLog"]

    entries = [e["node"] for e in first["edges"] + rest["edges"]]
    assert [e["seq"] for e in entries] == [3, 2, 1]
    assert {e["action"] for e in entries} == {"permission_group.created"}
    assert entries[0]["actor"] == "staff:manager-1"
    assert entries[2]["prevHash"] == "0" * 64
    assert [e["prevHash"] for e in entries[:2]] == [e["hash"] for e in entries[1:]]
    assert first["pageInfo"]["hasNextPage"] is True
    assert rest["pageInfo"]["hasNextPage"] is False
    for caller in (Principal.customer("c1"), staff(Permission.VIEW_AUDIT_LOG, mfa=False)):
        refused = await client.execute(AUDIT, {"first": 1}, principal=caller)
        assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_concurrent_appends_keep_one_chain(
    accounts: SubgraphApp, accounts_uow: AccountsUow, runtime: AccountsRuntime
) -> None:
    await asyncio.gather(
        *[
            create_group(accounts_uow, runtime, actor=MANAGER, name=f"G{i}", permissions=[])
            for i in range(8)
        ]
    )
    verdict = await verify_audit_chain(accounts.infra.database)
    assert (verdict.ok, verdict.entries) == (True, 8)


async def test_a_tampered_entry_is_detected(
    accounts: SubgraphApp, accounts_uow: AccountsUow, runtime: AccountsRuntime
) -> None:
    await _groups(accounts_uow, runtime, 3)
    assert (await verify_audit_chain(accounts.infra.database)).ok

    async with accounts.infra.database.engine.begin() as conn:
        await conn.execute(text("UPDATE audit_log SET actor = 'staff:someone-else' WHERE seq = 2"))
    verdict = await verify_audit_chain(accounts.infra.database)

    assert (verdict.ok, verdict.first_bad_seq, verdict.reason) == (False, 2, "entry altered")


async def test_a_removed_entry_is_detected(
    accounts: SubgraphApp, accounts_uow: AccountsUow, runtime: AccountsRuntime
) -> None:
    await _groups(accounts_uow, runtime, 3)

    async with accounts.infra.database.engine.begin() as conn:
        await conn.execute(text("DELETE FROM audit_log WHERE seq = 3"))
    tail = await verify_audit_chain(accounts.infra.database)
    async with accounts.infra.database.engine.begin() as conn:
        await conn.execute(text("DELETE FROM audit_log WHERE seq = 1"))
    middle = await verify_audit_chain(accounts.infra.database)

    assert (tail.ok, tail.reason) == (False, "tail removed")
    assert (middle.ok, middle.first_bad_seq, middle.reason) == (False, 2, "broken link")
