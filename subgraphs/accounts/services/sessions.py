"""Sessions: a refresh-token family and the access tokens issued for it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from shared.auth import Permission
from subgraphs.accounts.domain.models import RefreshToken, User, new_id
from subgraphs.accounts.domain.tokens import (
    REFRESH_TOKEN_TTL,
    AccessClaims,
    hash_token,
    new_opaque_token,
    sign_access_token,
)
from subgraphs.accounts.services.runtime import AccountsRuntime
from subgraphs.accounts.uow import AccountsUnitOfWork


@dataclass(frozen=True, slots=True)
class TokenPair:
    access_token: str
    refresh_token: str
    session_id: str


def add_refresh_token(
    uow: AccountsUnitOfWork, *, user_id: str, family_id: str, mfa: bool, at: datetime
) -> str:
    """A new refresh token of ``family_id``; only its hash is stored."""
    token = new_opaque_token()
    uow.refresh_tokens.add(
        RefreshToken(
            token_hash=hash_token(token),
            family_id=family_id,
            user_id=user_id,
            mfa=mfa,
            created_at=at,
            expires_at=at + REFRESH_TOKEN_TTL,
        )
    )
    return token


async def permissions_for(
    uow: AccountsUnitOfWork, user: User, *, mfa: bool
) -> frozenset[Permission]:
    if not user.is_staff or not mfa:
        return frozenset()
    return await uow.groups.permissions_of(user.id)


async def open_session(
    uow: AccountsUnitOfWork, runtime: AccountsRuntime, user: User, *, mfa: bool, at: datetime
) -> tuple[str, str, frozenset[Permission]]:
    """(refresh token, session id, permissions) for a new session of ``user``."""
    family_id = new_id()
    refresh = add_refresh_token(uow, user_id=user.id, family_id=family_id, mfa=mfa, at=at)
    return refresh, family_id, await permissions_for(uow, user, mfa=mfa)


async def access_token(
    runtime: AccountsRuntime,
    user: User,
    *,
    session_id: str,
    mfa: bool,
    permissions: frozenset[Permission],
    at: datetime,
) -> str:
    key = await runtime.keys.current(at)
    claims = AccessClaims(
        subject=user.id,
        typ="staff" if user.is_staff else "customer",
        session_id=session_id,
        mfa=mfa,
        permissions=permissions,
    )
    return sign_access_token(claims, kid=key.kid, private_pem=key.private_pem, now=at)
