"""customer contacts: a signed-in customer's email from accounts

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 11:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "customer_contacts",
        sa.Column("customer_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("email", sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
        sa.Column("first_name", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("last_name", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("as_of", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("customer_id", name=op.f("pk_customer_contacts")),
    )


def downgrade() -> None:
    op.drop_table("customer_contacts")
