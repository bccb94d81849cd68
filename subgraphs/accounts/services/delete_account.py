"""Use case: a customer erases their account (GDPR art. 17).

Accounts anonymizes what it holds at once — email, names, password, MFA, addresses, tokens,
exports — keeping only the row's id (other subgraphs' records point at it) and the audit log
(an access record, with no personal data beyond the id). ``CustomerDeleted`` tells every other
holder to anonymize its part (reviews unlink the author; orders keep invoices for tax law).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from shared.auth import Principal
from subgraphs.accounts.domain.errors import AccountError, AccountErrorCode
from subgraphs.accounts.domain.events import CustomerDeleted
from subgraphs.accounts.repository import AuditFact
from subgraphs.accounts.services import audit
from subgraphs.accounts.services.runtime import AccountsRuntime, actor_of
from subgraphs.accounts.uow import AccountsUnitOfWork


async def delete_account(
    uow_factory: Callable[[], AccountsUnitOfWork],
    runtime: AccountsRuntime,
    *,
    actor: Principal,
    password: str,
) -> None:
    if not actor.is_customer or actor.id is None:
        raise AccountError(AccountErrorCode.INVALID, "Only a customer deletes their own account.")
    async with uow_factory() as uow:
        user = await uow.users.get(actor.id)
        await uow.commit()  # a rollback would expire the loaded user
    if user is None or user.is_deleted:
        raise AccountError(AccountErrorCode.NOT_FOUND, "No such account.")
    if not await asyncio.to_thread(runtime.passwords.verify, user.password_hash, password):
        raise AccountError(
            AccountErrorCode.INVALID_CREDENTIALS, "The password is not right.", field="password"
        )
    at = runtime.clock()
    async with uow_factory() as uow:
        user = await uow.users.lock(actor.id)
        assert user is not None
        user.email = f"deleted-{user.id}@deleted.invalid"
        user.email_key = user.email
        user.first_name = ""
        user.last_name = ""
        user.password_hash = None
        user.mfa_secret = None
        user.mfa_pending_secret = None
        user.default_billing_address_id = None
        user.default_shipping_address_id = None
        user.deleted_at = at
        user.updated_at = at
        await uow.addresses.delete_of_user(user.id)
        await uow.recovery_codes.delete_of_user(user.id)
        await uow.one_time_tokens.delete_of_user(user.id)
        await uow.refresh_tokens.revoke_user(user.id, at)
        await uow.exports.delete_of_customer(user.id)
        await uow.groups.remove_user(user.id)
        uow.record(CustomerDeleted(customer_id=user.id))
        await audit.record(
            uow,
            actor=actor,
            action="customer.deleted",
            target_type="Customer",
            target_id=user.id,
            at=at,
        )
        await uow.commit()


async def record_customer_access(
    uow_factory: Callable[[], AccountsUnitOfWork],
    runtime: AccountsRuntime,
    *,
    actor: Principal,
    customer_ids: list[str],
) -> None:
    """Staff read customers' personal data: one audit entry per customer read."""
    at = runtime.clock()
    async with uow_factory() as uow:
        await uow.audit.append(
            at=at,
            actor=actor_of(actor),
            entries=[AuditFact("customer.read", "Customer", c) for c in customer_ids],
        )
        await uow.commit()
