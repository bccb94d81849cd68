"""The orders subgraph's tables.

``order_events`` is the source of truth: an append-only stream per order, one row per event,
primary key (order_id, version) — two writers appending the same version collide and the second
retries on the new state (optimistic concurrency). ``orders`` is the projection: the folded state
(JSON) plus the columns lists filter and sort on, written in the same transaction as the events
and rebuildable from them (``services/rebuild.py``). ``order_numbers`` hands out the human order
numbers with one conditional UPDATE. ``notifications`` is the embedded Notification port's
outbox (messages queued for customers; the notifications subgraph will deliver them).
"""

from __future__ import annotations

from sqlalchemy import Column, Index, Integer, Numeric, String, Table, Text, UniqueConstraint

from shared.db import new_metadata
from shared.messaging_tables import define_messaging_tables
from shared.sql import UtcDateTime

metadata = new_metadata()
messaging = define_messaging_tables(metadata)

order_events = Table(
    "order_events",
    metadata,
    Column("order_id", String(36), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("type", String(40), nullable=False),
    Column("data", Text, nullable=False),
    Column("actor", String(120), nullable=False),
    Column("occurred_at", UtcDateTime(), nullable=False),
)

orders = Table(
    "orders",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("number", String(20), nullable=False),
    Column("status", String(24), nullable=False),
    Column("payment_status", String(24), nullable=False),
    Column("customer_id", String(64), nullable=True),
    Column("email", String(254), nullable=False),
    Column("checkout_id", String(64), nullable=False),
    Column("reservation_id", String(64), nullable=False),
    Column("total", Numeric(14, 4), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("placed_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    Column("version", Integer, nullable=False),
    Column("state", Text, nullable=False),
    UniqueConstraint("number", name="uq_orders_number"),
    UniqueConstraint("checkout_id", name="uq_orders_checkout_id"),
)
Index("ix_orders_customer_placed", orders.c.customer_id, orders.c.placed_at, orders.c.id)
Index("ix_orders_placed", orders.c.placed_at, orders.c.id)
Index("ix_orders_status_placed", orders.c.status, orders.c.placed_at)
Index("ix_orders_email", orders.c.email)
Index("ix_orders_reservation", orders.c.reservation_id)

order_numbers = Table(
    "order_numbers",
    metadata,
    Column("name", String(20), primary_key=True),
    Column("value", Integer, nullable=False),
)

notifications = Table(
    "notifications",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("order_id", String(36), nullable=False),
    Column("kind", String(80), nullable=False),
    Column("recipient", String(254), nullable=False),
    Column("subject", String(200), nullable=False),
    Column("body", Text, nullable=False),
    Column("status", String(20), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    UniqueConstraint("order_id", "kind", name="uq_notifications_order_kind"),
)
Index("ix_notifications_created", notifications.c.created_at)
