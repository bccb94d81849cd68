"""The tables every subgraph database holds for reliable messaging and idempotency.

Defined with SQLAlchemy Core on the subgraph's own ``MetaData`` so each subgraph's Alembic
migrations create them in its own database.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import (
    BigInteger,
    Column,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

from shared.sql import UtcDateTime

# SQLite only auto-increments INTEGER PRIMARY KEY columns; PostgreSQL gets a BIGINT identity.
_SEQ = BigInteger().with_variant(Integer(), "sqlite")


@dataclass(frozen=True, slots=True)
class MessagingTables:
    outbox: Table
    inbox: Table
    idempotency: Table


def define_messaging_tables(metadata: MetaData) -> MessagingTables:
    """Add ``outbox``, ``inbox`` and ``idempotency_keys`` to ``metadata`` and return them."""
    outbox = Table(
        "outbox",
        metadata,
        Column("seq", _SEQ, primary_key=True, autoincrement=True),
        Column("event_id", String(36), nullable=False, unique=True),
        Column("event_type", String(120), nullable=False),
        Column("source", String(60), nullable=False),
        Column("event_key", String(120), nullable=False, default=""),
        Column("payload", Text, nullable=False),
        Column("occurred_at", UtcDateTime(), nullable=False),
        Column("published_at", UtcDateTime(), nullable=True),
        Column("claimed_until", UtcDateTime(), nullable=True),
        Column("attempts", Integer, nullable=False, default=0),
        Column("last_error", Text, nullable=True),
    )
    Index("ix_outbox_unpublished", outbox.c.published_at, outbox.c.seq)
    inbox = Table(
        "inbox",
        metadata,
        Column("consumer", String(120), primary_key=True),
        Column("event_id", String(36), primary_key=True),
        Column("event_type", String(120), nullable=False),
        Column("processed_at", UtcDateTime(), nullable=False),
    )
    idempotency = Table(
        "idempotency_keys",
        metadata,
        Column("scope", String(120), primary_key=True),
        Column("key", String(255), primary_key=True),
        Column("request_hash", String(64), nullable=False),
        Column("response", Text, nullable=False),
        Column("created_at", UtcDateTime(), nullable=False),
    )
    Index("ix_idempotency_created", idempotency.c.created_at)
    return MessagingTables(outbox=outbox, inbox=inbox, idempotency=idempotency)
