"""Use case: a signed-in customer (or staff member) updates their own profile."""

from __future__ import annotations

from collections.abc import Callable

from shared.auth import Principal
from subgraphs.accounts.domain.errors import AccountError, AccountErrorCode
from subgraphs.accounts.domain.events import CustomerContactChanged
from subgraphs.accounts.domain.models import User, clean_name
from subgraphs.accounts.services.runtime import AccountsRuntime
from subgraphs.accounts.uow import AccountsUnitOfWork


async def update_account(
    uow_factory: Callable[[], AccountsUnitOfWork],
    runtime: AccountsRuntime,
    *,
    actor: Principal,
    first_name: str | None = None,
    last_name: str | None = None,
) -> User:
    async with uow_factory() as uow:
        user = await uow.users.get(actor.id or "")
        if user is None or user.is_deleted:
            raise AccountError(AccountErrorCode.NOT_FOUND, "No such account.")
        if first_name is not None:
            user.first_name = clean_name(first_name, "firstName")
        if last_name is not None:
            user.last_name = clean_name(last_name, "lastName")
        user.updated_at = runtime.clock()
        uow.record(
            CustomerContactChanged(
                customer_id=user.id,
                email=user.email,
                first_name=user.first_name,
                last_name=user.last_name,
                updated_at=user.updated_at.isoformat(),
            )
        )
        await uow.commit()
    return user
