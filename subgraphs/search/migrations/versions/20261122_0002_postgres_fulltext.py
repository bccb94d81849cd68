"""postgres full-text engine: search_index (tsvector, GIN) and search_words (pg_trgm when there)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 09:00:00

The full-text parts (tsvector, text arrays, GIN indexes, the pg_trgm extension) are created on
PostgreSQL only; on SQLite the two tables are plain and unused (the models are one set).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    text_array = postgresql.ARRAY(sa.Text()).with_variant(sa.JSON(), "sqlite")
    op.create_table(
        "search_index",
        sa.Column("product_id", sa.String(length=36), nullable=False),
        sa.Column("id_order", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("name_exact", sa.Text(), nullable=False),
        sa.Column(
            "document", postgresql.TSVECTOR().with_variant(sa.Text(), "sqlite"), nullable=False
        ),
        sa.Column("category_ids", text_array, nullable=False),
        sa.Column("attrs", text_array, nullable=False),
        sa.Column("price", sa.Float(), nullable=False),
        sa.Column("price_bucket", sa.String(length=40), nullable=False),
        sa.Column("in_stock", sa.Boolean(), nullable=False),
        sa.Column("rating", sa.Float(), nullable=False),
        sa.Column("updated", sa.BigInteger(), nullable=False),
        sa.Column("terms", text_array, nullable=False),
        sa.PrimaryKeyConstraint("product_id", name=op.f("pk_search_index")),
    )
    op.create_table(
        "search_words",
        sa.Column("word", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("word", name=op.f("pk_search_words")),
    )
    for name, column in (
        ("ix_search_index_document", "document"),
        ("ix_search_index_categories", "category_ids"),
        ("ix_search_index_attrs", "attrs"),
    ):
        op.create_index(name, "search_index", [column], postgresql_using="gin")
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        op.create_index("ix_search_words_trgm", "search_words", ["word"])
        return
    # pg_trgm speeds up typo look-ups; the engine works without it (it then scans search_words).
    # Installed in "public" so dropping one subgraph schema never drops it for the others.
    with bind.begin_nested() as savepoint:
        try:
            bind.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public")
        except sa.exc.DBAPIError:
            savepoint.rollback()
            op.create_index("ix_search_words_trgm", "search_words", ["word"])
            return
    schema = bind.exec_driver_sql(
        "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace"
        " WHERE e.extname = 'pg_trgm'"
    ).scalar()
    bind.exec_driver_sql(
        f'CREATE INDEX ix_search_words_trgm ON search_words USING gin (word "{schema}".gin_trgm_ops)'
    )


def downgrade() -> None:
    op.drop_index("ix_search_words_trgm", "search_words")
    op.drop_table("search_words")
    op.drop_table("search_index")
