"""checkout orders: order id and token per checkout; a reopened cart may check out again

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 11:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("checkouts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("order_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
        batch_op.add_column(
            sa.Column("order_token", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
        batch_op.drop_constraint(batch_op.f("uq_checkouts_cart_id"), type_="unique")
        batch_op.create_index(batch_op.f("ix_checkouts_cart_id"), ["cart_id"], unique=False)
        batch_op.create_unique_constraint(batch_op.f("uq_checkouts_order_id"), ["order_id"])


def downgrade() -> None:
    with op.batch_alter_table("checkouts", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_checkouts_order_id"), type_="unique")
        batch_op.drop_index(batch_op.f("ix_checkouts_cart_id"))
        batch_op.create_unique_constraint(batch_op.f("uq_checkouts_cart_id"), ["cart_id"])
        batch_op.drop_column("order_token")
        batch_op.drop_column("order_id")
