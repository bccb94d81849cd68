"""The accounts subgraph's only SQL. Repositories (async, in units of work) never commit;
``AccountsReader`` (sync, inside ``Database.read``) serves GraphQL."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

import orjson
from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session
from sqlmodel import col

from shared.auth import Permission
from shared.pagination import Page, PageRequest, PaginationError, encode_cursor
from shared.sql import insert_ignoring_conflicts
from subgraphs.accounts.domain.models import (
    Address,
    AuditEntry,
    AuditHead,
    DataExport,
    GroupMember,
    OneTimeToken,
    PermissionGroup,
    RecoveryCode,
    RefreshToken,
    SigningKey,
    TokenPurpose,
    User,
)

M = TypeVar("M")
GENESIS_HASH = "0" * 64


def entry_hash(prev_hash: str, entry: dict[str, Any]) -> str:
    """SHA-256 over the previous hash and the entry's canonical JSON."""
    body = orjson.dumps(entry, option=orjson.OPT_SORT_KEYS)
    return hashlib.sha256(prev_hash.encode() + b"." + body).hexdigest()


def audit_fields(entry: AuditEntry) -> dict[str, Any]:
    """What an audit entry's hash covers."""
    return {
        "seq": entry.seq,
        "occurred_at": entry.occurred_at.isoformat(),
        "actor": entry.actor,
        "action": entry.action,
        "target_type": entry.target_type,
        "target_id": entry.target_id,
        "details": entry.details,
    }


class UserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, user: User) -> None:
        self.session.add(user)

    async def get(self, user_id: str) -> User | None:
        return await self.session.get(User, user_id)

    async def by_email_key(self, key: str) -> User | None:
        statement = select(User).where(col(User.email_key) == key)
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def lock(self, user_id: str) -> User | None:
        """The user, row-locked until commit: a no-op UPDATE takes PostgreSQL's row lock and
        SQLite's write lock, so concurrent logins count failures without losing any."""
        await self.session.execute(
            update(User).where(col(User.id) == user_id).values(failed_logins=User.failed_logins)
        )
        return await self.session.get(User, user_id, populate_existing=True)


class AddressRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, address: Address) -> None:
        self.session.add(address)

    async def get(self, address_id: str) -> Address | None:
        return await self.session.get(Address, address_id)

    async def count(self, user_id: str) -> int:
        statement = select(func.count()).where(col(Address.user_id) == user_id)
        return int((await self.session.execute(statement)).scalar_one())

    async def of_user(self, user_id: str) -> list[Address]:
        statement = (
            select(Address)
            .where(col(Address.user_id) == user_id)
            .order_by(col(Address.created_at), col(Address.id))
        )
        return list((await self.session.execute(statement)).scalars())

    async def delete(self, address: Address) -> None:
        await self.session.delete(address)

    async def delete_of_user(self, user_id: str) -> None:
        await self.session.execute(delete(Address).where(col(Address.user_id) == user_id))


class RefreshTokenRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, token: RefreshToken) -> None:
        self.session.add(token)

    async def by_hash(self, token_hash: str) -> RefreshToken | None:
        statement = (
            select(RefreshToken).where(col(RefreshToken.token_hash) == token_hash).with_for_update()
        )
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def revoke_family(self, family_id: str, at: datetime) -> None:
        await self.session.execute(
            update(RefreshToken)
            .where(col(RefreshToken.family_id) == family_id, col(RefreshToken.revoked_at).is_(None))
            .values(revoked_at=at)
        )

    async def revoke_user(self, user_id: str, at: datetime) -> None:
        await self.session.execute(
            update(RefreshToken)
            .where(col(RefreshToken.user_id) == user_id, col(RefreshToken.revoked_at).is_(None))
            .values(revoked_at=at)
        )


class OneTimeTokenRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, token: OneTimeToken) -> None:
        self.session.add(token)

    async def by_hash(self, token_hash: str) -> OneTimeToken | None:
        return await self.session.get(OneTimeToken, token_hash, with_for_update=True)

    async def invalidate(self, user_id: str, purpose: TokenPurpose | None, at: datetime) -> None:
        """Mark every unused token of the user (of one purpose, or all) as used."""
        statement = update(OneTimeToken).where(
            col(OneTimeToken.user_id) == user_id, col(OneTimeToken.used_at).is_(None)
        )
        if purpose is not None:
            statement = statement.where(col(OneTimeToken.purpose) == purpose)
        await self.session.execute(statement.values(used_at=at))

    async def delete_of_user(self, user_id: str) -> None:
        await self.session.execute(delete(OneTimeToken).where(col(OneTimeToken.user_id) == user_id))


class RecoveryCodeRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def replace(self, user_id: str, code_hashes: Sequence[str]) -> None:
        await self.delete_of_user(user_id)
        for code_hash in code_hashes:
            self.session.add(RecoveryCode(user_id=user_id, code_hash=code_hash))

    async def unused(self, user_id: str, code_hash: str) -> RecoveryCode | None:
        statement = select(RecoveryCode).where(
            col(RecoveryCode.user_id) == user_id,
            col(RecoveryCode.code_hash) == code_hash,
            col(RecoveryCode.used_at).is_(None),
        )
        return (await self.session.execute(statement)).scalars().first()

    async def delete_of_user(self, user_id: str) -> None:
        await self.session.execute(delete(RecoveryCode).where(col(RecoveryCode.user_id) == user_id))


class SigningKeyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, key: SigningKey) -> None:
        self.session.add(key)

    async def newest(self) -> SigningKey | None:
        statement = select(SigningKey).order_by(
            col(SigningKey.created_at).desc(), col(SigningKey.kid)
        )
        return (await self.session.execute(statement.limit(1))).scalar_one_or_none()

    async def retire_all(self, at: datetime) -> None:
        await self.session.execute(
            update(SigningKey).where(col(SigningKey.retired_at).is_(None)).values(retired_at=at)
        )

    async def published(self, retired_after: datetime) -> list[SigningKey]:
        statement = (
            select(SigningKey)
            .where(
                col(SigningKey.retired_at).is_(None) | (col(SigningKey.retired_at) > retired_after)
            )
            .order_by(col(SigningKey.created_at).desc())
        )
        return list((await self.session.execute(statement)).scalars())


class GroupRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, group: PermissionGroup) -> None:
        self.session.add(group)

    async def get(self, group_id: str) -> PermissionGroup | None:
        return await self.session.get(PermissionGroup, group_id)

    async def by_name(self, name: str) -> PermissionGroup | None:
        statement = select(PermissionGroup).where(col(PermissionGroup.name) == name)
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def add_member(self, group_id: str, user_id: str) -> None:
        dialect = self.session.get_bind().dialect.name
        table = GroupMember.__table__  # type: ignore[attr-defined]
        await self.session.execute(
            insert_ignoring_conflicts(dialect, table, {"group_id": group_id, "user_id": user_id})
        )

    async def remove_member(self, group_id: str, user_id: str) -> None:
        await self.session.execute(
            delete(GroupMember).where(
                col(GroupMember.group_id) == group_id, col(GroupMember.user_id) == user_id
            )
        )

    async def permissions_of(self, user_id: str) -> frozenset[Permission]:
        statement = (
            select(PermissionGroup)
            .join(GroupMember, col(GroupMember.group_id) == col(PermissionGroup.id))
            .where(col(GroupMember.user_id) == user_id)
        )
        groups = (await self.session.execute(statement)).scalars()
        return frozenset(p for group in groups for p in group.permission_set)

    async def remove_user(self, user_id: str) -> None:
        await self.session.execute(delete(GroupMember).where(col(GroupMember.user_id) == user_id))


class AuditRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def append(self, *, at: datetime, actor: str, entries: Sequence[AuditFact]) -> None:
        """Append entries after the chain's tip. Updating the head row first serializes
        concurrent appends (row lock on PostgreSQL, write lock on SQLite); one head read and
        one flush serve the whole batch."""
        dialect = self.session.get_bind().dialect.name
        head_table = AuditHead.__table__  # type: ignore[attr-defined]
        await self.session.execute(
            insert_ignoring_conflicts(
                dialect, head_table, {"id": 1, "last_seq": 0, "last_hash": GENESIS_HASH}
            )
        )
        await self.session.execute(
            update(AuditHead).where(col(AuditHead.id) == 1).values(last_seq=AuditHead.last_seq)
        )
        head = await self.session.get(AuditHead, 1, populate_existing=True)
        assert head is not None
        added = [
            AuditEntry(
                occurred_at=at,
                actor=actor,
                action=fact.action,
                target_type=fact.target_type,
                target_id=fact.target_id,
                details=fact.details,
                prev_hash="",
                hash="",
            )
            for fact in entries
        ]
        for entry in added:  # one by one: SQLite numbers rows in insertion order
            self.session.add(entry)
            await self.session.flush()
        previous = head.last_hash
        for entry in sorted(added, key=lambda e: e.seq or 0):
            entry.prev_hash = previous
            entry.hash = entry_hash(previous, audit_fields(entry))
            previous = entry.hash
            assert entry.seq is not None
            head.last_seq = entry.seq
        head.last_hash = previous


@dataclass(frozen=True, slots=True)
class AuditFact:
    """What happened, to what (the actor and time are the batch's)."""

    action: str
    target_type: str
    target_id: str
    details: dict[str, Any] = field(default_factory=dict)


class ExportRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, export: DataExport) -> None:
        self.session.add(export)

    async def lock(self, export_id: str) -> DataExport | None:
        await self.session.execute(
            update(DataExport)
            .where(col(DataExport.id) == export_id)
            .values(status=DataExport.status)
        )
        return await self.session.get(DataExport, export_id, populate_existing=True)

    async def delete_of_customer(self, customer_id: str) -> None:
        await self.session.execute(
            delete(DataExport).where(col(DataExport.customer_id) == customer_id)
        )


class AccountsReader:
    """Reads for GraphQL, inside ``Database.read`` (sync session; returned rows are detached)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def _all(self, statement: Any) -> list[Any]:
        return list(self.session.execute(statement).scalars())

    def users(self, ids: Sequence[str]) -> list[User]:
        found: list[User] = self._all(select(User).where(col(User.id).in_(list(ids))))
        return found

    def addresses_of(self, user_ids: Sequence[str]) -> list[Address]:
        found: list[Address] = self._all(
            select(Address)
            .where(col(Address.user_id).in_(list(user_ids)))
            .order_by(col(Address.created_at), col(Address.id))
        )
        return found

    def addresses(self, ids: Sequence[str]) -> list[Address]:
        found: list[Address] = self._all(select(Address).where(col(Address.id).in_(list(ids))))
        return found

    def groups(self, ids: Sequence[str] | None = None) -> list[PermissionGroup]:
        statement = select(PermissionGroup).order_by(col(PermissionGroup.name))
        if ids is not None:
            statement = statement.where(col(PermissionGroup.id).in_(list(ids)))
        found: list[PermissionGroup] = self._all(statement)
        return found

    def memberships(self, user_ids: Sequence[str]) -> list[GroupMember]:
        found: list[GroupMember] = self._all(
            select(GroupMember).where(col(GroupMember.user_id).in_(list(user_ids)))
        )
        return found

    def members(self, group_ids: Sequence[str]) -> list[GroupMember]:
        found: list[GroupMember] = self._all(
            select(GroupMember).where(col(GroupMember.group_id).in_(list(group_ids)))
        )
        return found

    def export(self, export_id: str) -> DataExport | None:
        return self.session.get(DataExport, export_id)

    def published_keys(self, retired_after: datetime) -> list[SigningKey]:
        found: list[SigningKey] = self._all(
            select(SigningKey)
            .where(
                col(SigningKey.retired_at).is_(None) | (col(SigningKey.retired_at) > retired_after)
            )
            .order_by(col(SigningKey.created_at).desc())
        )
        return found

    def audit_page(self, request: PageRequest) -> Page[AuditEntry]:
        """Newest first, keyset on the sequence number."""
        statement = select(AuditEntry).order_by(col(AuditEntry.seq).desc())
        if request.after is not None:
            (after,) = request.after if len(request.after) == 1 else (None,)
            if not isinstance(after, int):
                raise PaginationError("after is not a valid cursor", field="after")
            statement = statement.where(col(AuditEntry.seq) < after)
        rows: list[AuditEntry] = self._all(statement.limit(request.first + 1))
        items = rows[: request.first]
        return Page(
            items=items,
            cursors=[encode_cursor([e.seq]) for e in items],
            has_next_page=len(rows) > request.first,
            has_previous_page=request.after is not None,
        )

    def audit_chain(self) -> tuple[list[AuditEntry], AuditHead | None]:
        entries: list[AuditEntry] = self._all(select(AuditEntry).order_by(col(AuditEntry.seq)))
        return entries, self.session.get(AuditHead, 1)
