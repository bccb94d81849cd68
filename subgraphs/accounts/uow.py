"""The accounts subgraph's unit of work."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from shared.uow import UnitOfWork
from subgraphs.accounts.repository import (
    AddressRepository,
    AuditRepository,
    ExportRepository,
    GroupRepository,
    OneTimeTokenRepository,
    RecoveryCodeRepository,
    RefreshTokenRepository,
    SigningKeyRepository,
    UserRepository,
)


class AccountsUnitOfWork(UnitOfWork):
    users: UserRepository
    addresses: AddressRepository
    refresh_tokens: RefreshTokenRepository
    one_time_tokens: OneTimeTokenRepository
    recovery_codes: RecoveryCodeRepository
    signing_keys: SigningKeyRepository
    groups: GroupRepository
    audit: AuditRepository
    exports: ExportRepository

    def open_repositories(self, session: AsyncSession) -> None:
        self.users = UserRepository(session)
        self.addresses = AddressRepository(session)
        self.refresh_tokens = RefreshTokenRepository(session)
        self.one_time_tokens = OneTimeTokenRepository(session)
        self.recovery_codes = RecoveryCodeRepository(session)
        self.signing_keys = SigningKeyRepository(session)
        self.groups = GroupRepository(session)
        self.audit = AuditRepository(session)
        self.exports = ExportRepository(session)
