"""Use cases: enrol TOTP — start (a secret and its otpauth URI), confirm with a first code
(which turns MFA on and gives ten single-use recovery codes, stored hashed)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from shared.auth import Principal
from subgraphs.accounts.domain import mfa
from subgraphs.accounts.domain.errors import AccountError, AccountErrorCode
from subgraphs.accounts.domain.models import User
from subgraphs.accounts.services.runtime import AccountsRuntime
from subgraphs.accounts.uow import AccountsUnitOfWork


@dataclass(frozen=True, slots=True)
class Enrolment:
    secret: str
    otpauth_uri: str


async def _user(uow: AccountsUnitOfWork, actor: Principal) -> User:
    user = await uow.users.lock(actor.id or "") if actor.is_authenticated else None
    if user is None or user.is_deleted:
        raise AccountError(AccountErrorCode.NOT_FOUND, "No such account.")
    return user


async def start_mfa_enrolment(
    uow_factory: Callable[[], AccountsUnitOfWork], *, actor: Principal
) -> Enrolment:
    async with uow_factory() as uow:
        user = await _user(uow, actor)
        if user.mfa_enabled:
            raise AccountError(AccountErrorCode.INVALID, "Two-factor sign-in is already on.")
        secret = mfa.new_secret()
        user.mfa_pending_secret = secret
        await uow.commit()
    return Enrolment(secret=secret, otpauth_uri=mfa.provisioning_uri(secret, user.email))


async def confirm_mfa_enrolment(
    uow_factory: Callable[[], AccountsUnitOfWork],
    runtime: AccountsRuntime,
    *,
    actor: Principal,
    code: str,
) -> list[str]:
    """The recovery codes, shown once."""
    at = runtime.clock()
    async with uow_factory() as uow:
        user = await _user(uow, actor)
        if user.mfa_pending_secret is None:
            raise AccountError(AccountErrorCode.INVALID, "Start the enrolment first.", field="code")
        step = mfa.matching_step(user.mfa_pending_secret, code, now=at, last_step=None)
        if step is None:
            raise AccountError(AccountErrorCode.INVALID_OTP, "The code is not right.", field="code")
        user.mfa_secret = user.mfa_pending_secret
        user.mfa_pending_secret = None
        user.mfa_last_step = step
        codes = mfa.new_recovery_codes()
        await uow.recovery_codes.replace(user.id, [mfa.hash_code(c) for c in codes])
        await uow.commit()
    return codes
