"""The audit log: appending within a use case's transaction, and verifying the hash chain."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from shared.auth import Principal
from shared.db import Database
from subgraphs.accounts.repository import (
    GENESIS_HASH,
    AccountsReader,
    AuditFact,
    audit_fields,
    entry_hash,
)
from subgraphs.accounts.services.runtime import actor_of
from subgraphs.accounts.uow import AccountsUnitOfWork


async def record(
    uow: AccountsUnitOfWork,
    *,
    actor: Principal,
    action: str,
    target_type: str,
    target_id: str,
    at: datetime,
    details: dict[str, Any] | None = None,
) -> None:
    """Append an entry in ``uow``'s transaction: it exists if and only if the action does."""
    await uow.audit.append(
        at=at,
        actor=actor_of(actor),
        entries=[AuditFact(action, target_type, target_id, details or {})],
    )


@dataclass(frozen=True, slots=True)
class ChainVerification:
    ok: bool
    entries: int
    first_bad_seq: int | None = None
    reason: str = ""


def _verify(reader: AccountsReader) -> ChainVerification:
    entries, head = reader.audit_chain()
    previous = GENESIS_HASH
    for entry in entries:
        if entry.prev_hash != previous:
            return ChainVerification(False, len(entries), entry.seq, "broken link")
        if entry.hash != entry_hash(previous, audit_fields(entry)):
            return ChainVerification(False, len(entries), entry.seq, "entry altered")
        previous = entry.hash
    if head is not None and head.last_hash != previous:
        return ChainVerification(False, len(entries), head.last_seq, "tail removed")
    if head is None and entries:
        return ChainVerification(False, len(entries), entries[-1].seq, "head missing")
    return ChainVerification(True, len(entries))


async def verify_audit_chain(database: Database) -> ChainVerification:
    """Recompute every hash from the start: any altered, removed or reordered entry shows."""
    return await database.read(lambda s: _verify(AccountsReader(s)))
