"""The payments subgraph's tables.

``payment_events`` is the source of truth: one append-only stream per payment, primary key
(payment_id, version). ``payments`` is the projection (the folded state as JSON plus the columns
the processor and the lists query), written in the same transaction, rebuildable from the
events. ``webhook_deliveries`` remembers every provider event id handled (replays do nothing).
``simulator_operations`` is the simulator provider's own memory — what a real provider keeps on
its side: one row per idempotency key, so a retried call returns the first answer and a crash
never charges twice.

Only provider tokens and references are stored, never card data.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Index,
    Integer,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from shared.db import new_metadata
from shared.messaging_tables import define_messaging_tables
from shared.sql import UtcDateTime

metadata = new_metadata()
messaging = define_messaging_tables(metadata)

payment_events = Table(
    "payment_events",
    metadata,
    Column("payment_id", String(36), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("type", String(40), nullable=False),
    Column("data", Text, nullable=False),
    Column("occurred_at", UtcDateTime(), nullable=False),
)

payments = Table(
    "payments",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("order_id", String(36), nullable=False),
    Column("customer_id", String(64), nullable=True),
    Column("gateway", String(40), nullable=False),
    Column("status", String(24), nullable=False),
    Column("amount", Numeric(14, 4), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("provider_reference", String(120), nullable=True),
    Column("has_work", Boolean, nullable=False),
    Column("next_attempt_at", UtcDateTime(), nullable=True),
    Column("lease_until", UtcDateTime(), nullable=True),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    Column("version", Integer, nullable=False),
    Column("state", Text, nullable=False),
    UniqueConstraint("order_id", name="uq_payments_order_id"),
)
Index("ix_payments_work", payments.c.has_work, payments.c.next_attempt_at)
Index("ix_payments_created", payments.c.created_at, payments.c.id)
Index("ix_payments_customer", payments.c.customer_id)
Index("ix_payments_reference", payments.c.provider_reference)

webhook_deliveries = Table(
    "webhook_deliveries",
    metadata,
    Column("provider", String(20), primary_key=True),
    Column("event_id", String(120), primary_key=True),
    Column("event_type", String(80), nullable=False),
    Column("received_at", UtcDateTime(), nullable=False),
)

simulator_operations = Table(
    "simulator_operations",
    metadata,
    Column("idempotency_key", String(120), primary_key=True),
    Column("operation", String(20), nullable=False),
    Column("reference", String(60), nullable=False),
    Column("amount", Numeric(14, 4), nullable=False),
    Column("outcome", String(200), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
)
