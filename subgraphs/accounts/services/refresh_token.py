"""Use cases: rotate a refresh token (``tokenRefresh``) and end a session (``tokenRevoke``).

A refresh token is used once: it is exchanged for a new one of the same family (session). If a
token that was already exchanged shows up again, one of the two holders stole it: the whole
family is revoked and both must sign in again.
"""

from __future__ import annotations

from collections.abc import Callable

from subgraphs.accounts.domain.errors import AccountError, invalid_token
from subgraphs.accounts.domain.tokens import hash_token
from subgraphs.accounts.services.runtime import AccountsRuntime
from subgraphs.accounts.services.sessions import (
    TokenPair,
    access_token,
    add_refresh_token,
    permissions_for,
)
from subgraphs.accounts.uow import AccountsUnitOfWork


async def refresh_token(
    uow_factory: Callable[[], AccountsUnitOfWork], runtime: AccountsRuntime, *, token: str
) -> TokenPair:
    at = runtime.clock()
    failure: AccountError | None = None
    async with uow_factory() as uow:
        stored = await uow.refresh_tokens.by_hash(hash_token(token))
        user = await uow.users.get(stored.user_id) if stored is not None else None
        if stored is None or user is None or user.is_deleted:
            raise invalid_token("refreshToken")
        if stored.revoked_at is not None or stored.expires_at <= at:
            raise invalid_token("refreshToken")
        if stored.used_at is not None:
            await uow.refresh_tokens.revoke_family(stored.family_id, at)  # reuse: stolen
            await uow.commit()
            failure = invalid_token("refreshToken")
        else:
            stored.used_at = at
            new_token = add_refresh_token(
                uow, user_id=user.id, family_id=stored.family_id, mfa=stored.mfa, at=at
            )
            permissions = await permissions_for(uow, user, mfa=stored.mfa)
            await uow.commit()
    if failure is not None:
        raise failure
    access = await access_token(
        runtime,
        user,
        session_id=stored.family_id,
        mfa=stored.mfa,
        permissions=permissions,
        at=at,
    )
    return TokenPair(access_token=access, refresh_token=new_token, session_id=stored.family_id)


async def revoke_token(
    uow_factory: Callable[[], AccountsUnitOfWork], runtime: AccountsRuntime, *, token: str
) -> None:
    """Sign out: the session (every token of the family) ends. Unknown tokens are ignored."""
    at = runtime.clock()
    async with uow_factory() as uow:
        stored = await uow.refresh_tokens.by_hash(hash_token(token))
        if stored is not None:
            await uow.refresh_tokens.revoke_family(stored.family_id, at)
        await uow.commit()
