"""The training clock (issue 21): the offset an administrator set, delivered from here to every service.

Revision ID: gateway_0005
Revises: gateway_0004
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "gateway_0005"
down_revision: str | None = "gateway_0004"

SCHEMA = "gateway"


def upgrade() -> None:
    op.create_table(
        "training_clock",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("offset_days", sa.Integer(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("actor", postgresql.JSONB(), server_default="{}", nullable=False),
        sa.Column("reason", sa.String(2000), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_training_clock"),
        schema=SCHEMA,
    )


def downgrade() -> None:
    op.drop_table("training_clock", schema=SCHEMA)
