"""category labels: names of the category facet's values

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 11:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from shared.sql import UtcDateTime

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "search_category_labels",
        sa.Column("category_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=250), nullable=False),
        sa.Column("as_of", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("category_id", name=op.f("pk_search_category_labels")),
    )


def downgrade() -> None:
    op.drop_table("search_category_labels")
