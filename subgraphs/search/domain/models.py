"""The search subgraph's tables: the stored documents (source of truth of every index), stock
by variant and rating aggregates learnt from other subgraphs' events."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Column, Index, Integer, String, Table, Text

from shared.db import new_metadata
from shared.messaging_tables import define_messaging_tables
from shared.sql import UtcDateTime

metadata = new_metadata()
messaging = define_messaging_tables(metadata)

search_documents = Table(
    "search_documents",
    metadata,
    Column("product_id", String(36), primary_key=True),
    Column("published", Boolean, nullable=False),
    Column("deleted", Boolean, nullable=False),
    Column("document", Text, nullable=False),
    Column("variant_prices", Text, nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
)
Index("ix_search_documents_searchable", search_documents.c.published, search_documents.c.deleted)

search_stock = Table(
    "search_stock",
    metadata,
    Column("variant_id", String(36), primary_key=True),
    Column("product_id", String(36), nullable=False),
    Column("available", Integer, nullable=False),
    Column("as_of", UtcDateTime(), nullable=False),
)
Index("ix_search_stock_product", search_stock.c.product_id)

search_ratings = Table(
    "search_ratings",
    metadata,
    Column("product_id", String(36), primary_key=True),
    Column("count", Integer, nullable=False),
    Column("total", Integer, nullable=False),
)


def is_newer(proposed: datetime, stored: datetime | None) -> bool:
    """An event applies when nothing newer was applied before (equal times apply: idempotent)."""
    return stored is None or proposed >= stored
