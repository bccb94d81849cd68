"""Idempotency keys: a retried mutation replays its first result instead of repeating the change.

A client may send a key with a mutation that has side effects. The first request with the key
does the work and stores, in the same transaction, a small JSON response (the id of what it
changed) with the fingerprint of its input: the key exists if and only if the change committed,
and a refused input does not use it up. A later request with the key and the same input gets
that response back (the service re-reads the object) and writes nothing; the same key with other
input is refused (``IdempotencyKeyReused``). Keys are scoped by operation and caller, so two
callers' keys never collide; anonymous callers share one scope per operation.

Stored in the ``idempotency_keys`` table (``shared.messaging_tables``); a use case claims a key
through ``UnitOfWork.claim_idempotency_key`` and stores the response with ``UnitOfWork.commit``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from enum import Enum
from typing import Any

import orjson
from sqlalchemy import CursorResult, Table, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from shared.auth import Principal
from shared.events import dumps, loads
from shared.sql import insert_ignoring_conflicts

MAX_KEY_LENGTH = 255
MAX_SCOPE_LENGTH = 120  # idempotency_keys.scope
KEY_FIELD = "idempotencyKey"  # the GraphQL argument, for userErrors' field path
_UNANSWERED = "null"  # the response of a key claimed by a transaction still running


class IdempotencyError(Exception):
    """A problem with an idempotency key; its message is meant for the client."""

    field = KEY_FIELD

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidIdempotencyKey(IdempotencyError):
    """The key is empty, too long or not printable ASCII."""


class IdempotencyKeyReused(IdempotencyError):
    """The key was used before by this caller for this operation with other input."""


def _decimal(value: Decimal) -> str:
    """Equal amounts give equal text (1.50 and 1.5); exact, no rounding, no float."""
    if not value.is_finite():
        return str(value)
    if value.is_zero():
        return "0"
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def plain(value: object) -> Any:
    """``value`` as JSON data: dataclasses and mappings as objects, sequences as lists, sets
    sorted, Decimal as exact text, enums as their value, UUIDs and dates as text."""
    if isinstance(value, Enum):
        return plain(value.value)
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, Decimal):
        return _decimal(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {_key(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, set | frozenset):
        return sorted((plain(item) for item in value), key=canonical_json)
    raise TypeError(f"cannot fingerprint a {type(value).__name__}")


def _key(key: object) -> str:
    key = key.value if isinstance(key, Enum) else key
    if not isinstance(key, str):
        raise TypeError(f"mapping keys must be strings, not {type(key).__name__}")
    return key


def canonical_json(value: object) -> str:
    """One text for one value: keys sorted, no whitespace (see ``plain``)."""
    return orjson.dumps(plain(value), option=orjson.OPT_SORT_KEYS).decode()


def fingerprint(operation: str, data: object) -> str:
    """SHA-256 (hex) of the operation name and its input as canonical JSON."""
    text = canonical_json({"operation": operation, "input": data})
    return hashlib.sha256(text.encode()).hexdigest()


def check_key(key: str) -> str:
    """``key`` if it has 1 to 255 printable ASCII characters (space to ``~``)."""
    if not 1 <= len(key) <= MAX_KEY_LENGTH or not all(" " <= ch <= "~" for ch in key):
        raise InvalidIdempotencyKey(
            f"An idempotency key has 1 to {MAX_KEY_LENGTH} printable ASCII characters."
        )
    return key


def scope_of(operation: str, caller: Principal) -> str:
    """``<operation>:<kind>:<id>`` of an identified caller, else ``<operation>:anonymous``."""
    identity = (
        f"{caller.kind}:{caller.id}"
        if caller.is_authenticated and caller.id is not None
        else "anonymous"
    )
    scope = f"{operation}:{identity}"
    if len(scope) > MAX_SCOPE_LENGTH:
        scope = f"{operation}:sha256:{hashlib.sha256(identity.encode()).hexdigest()}"
    if len(scope) > MAX_SCOPE_LENGTH:
        raise ValueError(f"operation name too long for an idempotency scope: {operation!r}")
    return scope


@dataclass(frozen=True, slots=True)
class IdempotentRequest:
    """A request that carries an idempotency key: where the key lives and what input it had."""

    scope: str
    key: str
    fingerprint: str

    @classmethod
    def of(
        cls, key: str | None, *, operation: str, caller: Principal, data: object
    ) -> IdempotentRequest | None:
        """None without a key; raises ``InvalidIdempotencyKey`` for a malformed one."""
        if key is None:
            return None
        return cls(
            scope=scope_of(operation, caller),
            key=check_key(key),
            fingerprint=fingerprint(operation, data),
        )


async def claim(
    session: AsyncSession, table: Table, dialect: str, request: IdempotentRequest
) -> dict[str, Any] | None:
    """Insert the key in the session's transaction (None), or return the stored response.

    A concurrent transaction that inserted the same key first makes this wait (primary key)
    until it commits — then its response is returned — or rolls back — then this one claims it.
    """
    inserted = await session.execute(
        insert_ignoring_conflicts(
            dialect,
            table,
            {
                "scope": request.scope,
                "key": request.key,
                "request_hash": request.fingerprint,
                "response": _UNANSWERED,
                "created_at": datetime.now(UTC),
            },
        )
    )
    assert isinstance(inserted, CursorResult)
    if inserted.rowcount == 1:
        return None
    stored = (
        await session.execute(
            select(table.c.request_hash, table.c.response).where(
                table.c.scope == request.scope, table.c.key == request.key
            )
        )
    ).one()
    if stored.request_hash != request.fingerprint:
        raise IdempotencyKeyReused(
            "This idempotency key was used for another request; use a new key for new input."
        )
    response = loads(stored.response)
    if not isinstance(response, dict):
        raise RuntimeError(f"idempotency key {request.key!r} has no stored response")
    return response


async def answer(
    session: AsyncSession, table: Table, request: IdempotentRequest, response: Mapping[str, Any]
) -> None:
    """Store ``response`` for a key this session's transaction claimed."""
    await session.execute(
        update(table)
        .where(table.c.scope == request.scope, table.c.key == request.key)
        .values(response=dumps(dict(response)))
    )
