"""Use cases: ask for a password reset link, and set a new password with it.

The request answers the same whether or not the email has an account. The token is random,
stored hashed, bound to the account, valid one hour, used once, and void once the password
changed after it was made. Setting the password ends every session of the account and clears
a sign-in lock.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta

from subgraphs.accounts.adapters.mailer import Message
from subgraphs.accounts.domain.errors import AccountError, invalid_token
from subgraphs.accounts.domain.events import PasswordResetRequested
from subgraphs.accounts.domain.models import OneTimeToken, TokenPurpose
from subgraphs.accounts.domain.passwords import check_password_policy, email_key, normalize_email
from subgraphs.accounts.domain.tokens import hash_token, new_opaque_token
from subgraphs.accounts.services.runtime import AccountsRuntime
from subgraphs.accounts.uow import AccountsUnitOfWork

RESET_TOKEN_TTL = timedelta(hours=1)


async def request_password_reset(
    uow_factory: Callable[[], AccountsUnitOfWork], runtime: AccountsRuntime, *, email: str
) -> None:
    try:
        key = email_key(normalize_email(email))
    except AccountError:
        return  # same answer as for an unknown address
    at = runtime.clock()
    token = new_opaque_token()
    message: Message | None = None
    async with uow_factory() as uow:
        user = await uow.users.by_email_key(key)
        if user is not None and not user.is_deleted:
            uow.one_time_tokens.add(
                OneTimeToken(
                    token_hash=hash_token(token),
                    purpose=TokenPurpose.PASSWORD_RESET,
                    user_id=user.id,
                    created_at=at,
                    expires_at=at + RESET_TOKEN_TTL,
                )
            )
            uow.record(PasswordResetRequested(customer_id=user.id))
            message = Message(
                to=user.email,
                subject="Reset your Agora password",
                text=(
                    "Set a new password within one hour with this link:\n"
                    f"{runtime.link('reset-password', token)}\n\n"
                    "If you did not ask for this, ignore this message."
                ),
                kind="password_reset",
            )
        await uow.commit()
    if message is not None:
        await runtime.deliver(message)


async def set_password(
    uow_factory: Callable[[], AccountsUnitOfWork],
    runtime: AccountsRuntime,
    *,
    token: str,
    password: str,
) -> None:
    at = runtime.clock()
    async with uow_factory() as uow:
        stored = await uow.one_time_tokens.by_hash(hash_token(token))
        if (
            stored is None
            or stored.purpose != TokenPurpose.PASSWORD_RESET
            or stored.used_at is not None
            or stored.expires_at <= at
        ):
            raise invalid_token()
        user = await uow.users.get(stored.user_id)
        if user is None or user.is_deleted or user.password_changed_at > stored.created_at:
            raise invalid_token()
        check_password_policy(password, email=user.email)
    password_hash = await asyncio.to_thread(runtime.passwords.hash, password)
    async with uow_factory() as uow:
        stored = await uow.one_time_tokens.by_hash(hash_token(token))
        user = await uow.users.lock(stored.user_id) if stored is not None else None
        if (
            stored is None
            or stored.used_at is not None
            or user is None
            or user.password_changed_at > stored.created_at
        ):
            raise invalid_token()  # spent by a concurrent request meanwhile
        stored.used_at = at
        user.change_password(password_hash, at)
        await uow.one_time_tokens.invalidate(user.id, TokenPurpose.PASSWORD_RESET, at)
        await uow.refresh_tokens.revoke_user(user.id, at)
        await uow.commit()
