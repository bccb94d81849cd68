"""Use case: sign in (``tokenCreate``) — password, lockout, second factor, a new session.

Wrong email, wrong password, a locked account and a wrong second factor all fail with the same
INVALID_CREDENTIALS, after the same argon2 work. Five failures in 15 minutes lock the account
for 15 minutes; the right password during the lock fails the same way. The lock is temporary,
failures during it do not extend it, and a successful sign-in or a password reset clears the
count, so an attacker can slow a victim down but never lock them out for good. Failures are
also counted per client IP (``FailureLimiter``), which stops one source spraying many accounts.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime

from subgraphs.accounts.domain.errors import AccountError, AccountErrorCode, invalid_credentials
from subgraphs.accounts.domain.models import User
from subgraphs.accounts.domain.passwords import MAX_PASSWORD_LENGTH, email_key, normalize_email
from subgraphs.accounts.services.runtime import AccountsRuntime
from subgraphs.accounts.services.second_factor import verify_second_factor
from subgraphs.accounts.services.sessions import TokenPair, access_token, open_session
from subgraphs.accounts.uow import AccountsUnitOfWork


def _rate_limited() -> AccountError:
    return AccountError(
        AccountErrorCode.RATE_LIMITED, "Too many failed sign-ins from here. Try again later."
    )


async def create_token(
    uow_factory: Callable[[], AccountsUnitOfWork],
    runtime: AccountsRuntime,
    *,
    email: str,
    password: str,
    otp: str | None = None,
    client_ip: str = "",
) -> TokenPair:
    at = runtime.clock()
    if client_ip and await runtime.ip_failures.blocked(client_ip, at):
        raise _rate_limited()
    try:
        key = email_key(normalize_email(email))
    except AccountError:
        key = None
    user = None
    if key is not None and len(password) <= MAX_PASSWORD_LENGTH:
        async with uow_factory() as uow:
            user = await uow.users.by_email_key(key)
            await uow.commit()  # a rollback would expire the loaded user
    stored = user.password_hash if user is not None and not user.is_deleted else None
    # argon2 runs outside any transaction, on a worker thread (it releases the GIL).
    verified = await asyncio.to_thread(
        runtime.passwords.verify, stored, password[:MAX_PASSWORD_LENGTH]
    )
    rehashed = None
    if verified and stored is not None and runtime.passwords.needs_rehash(stored):
        rehashed = await asyncio.to_thread(runtime.passwords.hash, password)
    if user is None or stored is None:
        if client_ip:
            await runtime.ip_failures.fail(client_ip, at)
        raise invalid_credentials()

    async with uow_factory() as uow:
        locked = await uow.users.lock(user.id)
        assert locked is not None
        user = locked
        failure = await _refusal(uow, user, verified=verified, otp=otp, at=at)
        if failure is None:
            user.clear_failures()
            if rehashed is not None:
                user.password_hash = rehashed
            passed_mfa = user.mfa_enabled
            refresh, session_id, permissions = await open_session(
                uow, runtime, user, mfa=passed_mfa, at=at
            )
        await uow.commit()
    if failure is not None:
        if failure.code == AccountErrorCode.INVALID_CREDENTIALS and client_ip:
            await runtime.ip_failures.fail(client_ip, at)
        raise failure
    token = await access_token(
        runtime, user, session_id=session_id, mfa=passed_mfa, permissions=permissions, at=at
    )
    return TokenPair(access_token=token, refresh_token=refresh, session_id=session_id)


async def _refusal(
    uow: AccountsUnitOfWork, user: User, *, verified: bool, otp: str | None, at: datetime
) -> AccountError | None:
    """Why this sign-in fails (recording the failure on ``user``), or None."""
    if user.is_locked(at):
        return invalid_credentials()  # no oracle: the right password fails the same way
    if not verified:
        user.record_failed_login(at)
        return invalid_credentials()
    if not user.mfa_enabled:
        return None
    if not otp:
        return AccountError(
            AccountErrorCode.MFA_REQUIRED,
            "Enter the code from your authenticator app or a recovery code.",
            field="otp",
        )
    if not await verify_second_factor(uow, user, otp, at):
        user.record_failed_login(at)
        return invalid_credentials()
    return None
