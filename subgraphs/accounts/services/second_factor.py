"""Checking a second factor: a TOTP code (never the same time step twice) or a recovery code
(each once)."""

from __future__ import annotations

from datetime import datetime

from subgraphs.accounts.domain import mfa
from subgraphs.accounts.domain.models import User
from subgraphs.accounts.uow import AccountsUnitOfWork


async def verify_second_factor(
    uow: AccountsUnitOfWork, user: User, code: str, at: datetime
) -> bool:
    """True, and the code is spent, if ``code`` is a valid TOTP code or unused recovery code.
    ``user`` must be row-locked in ``uow`` so two requests cannot spend one code."""
    if user.mfa_secret is None:
        return False
    if mfa.looks_like_recovery_code(code):
        found = await uow.recovery_codes.unused(user.id, mfa.hash_code(code))
        if found is None:
            return False
        found.used_at = at
        return True
    step = mfa.matching_step(user.mfa_secret, code, now=at, last_step=user.mfa_last_step)
    if step is None:
        return False
    user.mfa_last_step = step
    return True
