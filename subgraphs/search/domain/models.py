"""The search subgraph's tables: the stored documents (source of truth of every index), stock
by variant and rating aggregates learnt from other subgraphs' events."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, Boolean, Column, Float, Index, Integer, String, Table, Text
from sqlalchemy.dialects.postgresql import ARRAY, TSVECTOR

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

search_category_labels = Table(
    "search_category_labels",
    metadata,
    Column("category_id", String(36), primary_key=True),
    Column("name", String(250), nullable=False),
    Column("as_of", UtcDateTime(), nullable=False),
)
"""Category names as the newest product event gave them: labels of the category facet."""

# -- the PostgreSQL full-text engine's index (AGORA_SEARCH_BACKEND=postgres) ----------------------
# Derived data like any engine's index. The tables exist on SQLite too (plain, unused) so models and
# migrations stay one set; the full-text types and GIN indexes are PostgreSQL's.
_TEXT_ARRAY = ARRAY(Text).with_variant(JSON(), "sqlite")

search_index = Table(
    "search_index",
    metadata,
    Column("product_id", String(36), primary_key=True),
    Column("id_order", BigInteger, nullable=False),
    Column("name", Text, nullable=False),
    Column("name_exact", Text, nullable=False),
    Column("document", TSVECTOR().with_variant(Text(), "sqlite"), nullable=False),
    Column("category_ids", _TEXT_ARRAY, nullable=False),
    Column("attrs", _TEXT_ARRAY, nullable=False),
    Column("price", Float, nullable=False),
    Column("price_bucket", String(40), nullable=False),
    Column("in_stock", Boolean, nullable=False),
    Column("rating", Float, nullable=False),
    Column("updated", BigInteger, nullable=False),
    Column("terms", _TEXT_ARRAY, nullable=False),
)
Index("ix_search_index_document", search_index.c.document, postgresql_using="gin")
Index("ix_search_index_categories", search_index.c.category_ids, postgresql_using="gin")
Index("ix_search_index_attrs", search_index.c.attrs, postgresql_using="gin")

search_words = Table(
    "search_words",
    metadata,
    Column("word", Text, primary_key=True),
)
"""Words (letters only, 4+) of the indexed text: where typos are looked up (pg_trgm when there)."""
# A trigram GIN index when pg_trgm can be installed; otherwise (and on SQLite) a plain one.
Index(
    "ix_search_words_trgm",
    search_words.c.word,
    postgresql_using="gin",
    postgresql_ops={"word": "gin_trgm_ops"},
)


def is_newer(proposed: datetime, stored: datetime | None) -> bool:
    """An event applies when nothing newer was applied before (equal times apply: idempotent)."""
    return stored is None or proposed >= stored
