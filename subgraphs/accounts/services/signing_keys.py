"""Use case: the key that signs access tokens now, its rotation, and the published JWKS.

The newest key signs until it is ``max_age`` old; then a new one is made and the old ones are
marked retired. A retired key stays in the JWKS until every token it signed has expired
(retired more than ``ACCESS_TOKEN_TTL`` ago), so rotation never invalidates a live token.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from shared.db import Database
from subgraphs.accounts.domain.models import SigningKey
from subgraphs.accounts.domain.tokens import ACCESS_TOKEN_TTL, generate_key
from subgraphs.accounts.repository import AccountsReader
from subgraphs.accounts.uow import AccountsUnitOfWork


class KeyRing:
    def __init__(
        self,
        uow_factory: Callable[[], AccountsUnitOfWork],
        database: Database,
        *,
        max_age: timedelta,
    ) -> None:
        self._uow = uow_factory
        self._database = database
        self.max_age = max_age
        self._current: SigningKey | None = None

    def _fresh(self, key: SigningKey | None, at: datetime) -> bool:
        return key is not None and key.retired_at is None and at - key.created_at < self.max_age

    async def current(self, at: datetime) -> SigningKey:
        """The signing key (cached per process; the database decides which one is newest)."""
        if self._fresh(self._current, at):
            assert self._current is not None
            return self._current
        async with self._uow() as uow:
            newest = await uow.signing_keys.newest()
            if not self._fresh(newest, at):
                made = generate_key()
                await uow.signing_keys.retire_all(at)
                newest = SigningKey(
                    kid=made.kid,
                    private_pem=made.private_pem,
                    public_jwk=made.public_jwk,
                    created_at=at,
                )
                uow.signing_keys.add(newest)
            await uow.commit()
        assert newest is not None
        self._current = newest
        return newest

    async def jwks(self, at: datetime) -> dict[str, Any]:
        """Every public key a live token may have been signed with."""
        await self.current(at)  # a JWKS never comes out empty
        keys = await self._database.read(
            lambda s: AccountsReader(s).published_keys(at - ACCESS_TOKEN_TTL)
        )
        return {"keys": [dict(k.public_jwk) for k in keys]}
