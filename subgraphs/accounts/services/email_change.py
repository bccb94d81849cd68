"""Use cases: ask to change one's email, and confirm it with the token mailed to the new one.

The token is bound to the account that asked AND to the new address (both stored with its
hash): confirming needs the same signed-in account, and sets exactly the address that received
the token. (Saleor's 2026 advisory: a token not bound to its user let anyone take over accounts.)
An address that already has an account gets a notice instead of a token, so the answer never
says whether it is taken.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta

from shared.auth import Principal
from subgraphs.accounts.adapters.mailer import Message
from subgraphs.accounts.domain.errors import AccountError, AccountErrorCode, invalid_token
from subgraphs.accounts.domain.events import CustomerContactChanged
from subgraphs.accounts.domain.models import OneTimeToken, TokenPurpose, User
from subgraphs.accounts.domain.passwords import email_key, normalize_email
from subgraphs.accounts.domain.tokens import hash_token, new_opaque_token
from subgraphs.accounts.services.runtime import AccountsRuntime
from subgraphs.accounts.uow import AccountsUnitOfWork

EMAIL_CHANGE_TTL = timedelta(hours=24)


def _wrong_password() -> AccountError:
    return AccountError(
        AccountErrorCode.INVALID_CREDENTIALS, "The password is not right.", field="password"
    )


async def request_email_change(
    uow_factory: Callable[[], AccountsUnitOfWork],
    runtime: AccountsRuntime,
    *,
    actor: Principal,
    new_email: str,
    password: str,
) -> None:
    address = normalize_email(new_email)
    at = runtime.clock()
    async with uow_factory() as uow:
        user = await uow.users.get(actor.id or "")
        if user is None or user.is_deleted:
            raise AccountError(AccountErrorCode.NOT_FOUND, "No such account.")
        await uow.commit()  # a rollback would expire the loaded user
    if not await asyncio.to_thread(runtime.passwords.verify, user.password_hash, password):
        raise _wrong_password()
    token = new_opaque_token()
    async with uow_factory() as uow:
        taken = await uow.users.by_email_key(email_key(address))
        if taken is None:
            await uow.one_time_tokens.invalidate(user.id, TokenPurpose.EMAIL_CHANGE, at)
            uow.one_time_tokens.add(
                OneTimeToken(
                    token_hash=hash_token(token),
                    purpose=TokenPurpose.EMAIL_CHANGE,
                    user_id=user.id,
                    new_email=address,
                    created_at=at,
                    expires_at=at + EMAIL_CHANGE_TTL,
                )
            )
            message = Message(
                to=address,
                subject="Confirm your new Agora email address",
                text=(
                    "Confirm this address for your Agora account (valid 24 hours, while "
                    f"signed in):\n{runtime.link('confirm-email', token)}"
                ),
                kind="email_change",
            )
        else:
            message = Message(
                to=address,
                subject="An Agora account asked to use your address",
                text="This address already has an Agora account, so nothing changed.",
                kind="email_change_taken",
            )
        await uow.commit()
    await runtime.deliver(message)


async def confirm_email_change(
    uow_factory: Callable[[], AccountsUnitOfWork],
    runtime: AccountsRuntime,
    *,
    actor: Principal,
    token: str,
) -> User:
    at = runtime.clock()
    async with uow_factory() as uow:
        stored = await uow.one_time_tokens.by_hash(hash_token(token))
        if (
            stored is None
            or stored.purpose != TokenPurpose.EMAIL_CHANGE
            or stored.used_at is not None
            or stored.expires_at <= at
            or stored.new_email is None
            or stored.user_id != actor.id  # bound to the account that asked
        ):
            raise invalid_token()
        user = await uow.users.lock(stored.user_id)
        if user is None or user.is_deleted:
            raise invalid_token()
        if await uow.users.by_email_key(email_key(stored.new_email)) is not None:
            raise invalid_token()  # taken meanwhile
        old_email = user.email
        stored.used_at = at
        user.email = stored.new_email
        user.email_key = email_key(stored.new_email)
        user.updated_at = at
        uow.record(
            CustomerContactChanged(
                customer_id=user.id,
                email=user.email,
                first_name=user.first_name,
                last_name=user.last_name,
                updated_at=at.isoformat(),
            )
        )
        await uow.commit()
    await runtime.deliver(
        Message(
            to=old_email,
            subject="Your Agora email address changed",
            text=f"Your account now uses {user.email}. If this was not you, contact support.",
            kind="email_changed",
        )
    )
    return user
