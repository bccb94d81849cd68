"""promotion use slots: per-customer limits enforced by a unique constraint

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 11:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("promotion_uses", schema=None) as batch_op:
        batch_op.add_column(sa.Column("slot", sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(
            "uq_promotion_uses_slot", ["promotion_id", "customer_key", "slot"]
        )


def downgrade() -> None:
    with op.batch_alter_table("promotion_uses", schema=None) as batch_op:
        batch_op.drop_constraint("uq_promotion_uses_slot", type_="unique")
        batch_op.drop_column("slot")
