"""Region names (regions): counties, townships and villages by name.

Revision ID: gateway_0004
Revises: gateway_0003
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision: str = "gateway_0004"
down_revision: str | None = "gateway_0003"

SCHEMA = "gateway"


def upgrade() -> None:
    op.create_table(
        "regions",
        sa.Column("code", sa.String(12), nullable=False),
        sa.Column("name", sa.String(40), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_by", sa.String(100), nullable=False),
        sa.PrimaryKeyConstraint("code", name="pk_regions"),
        schema=SCHEMA,
    )


def downgrade() -> None:
    op.drop_table("regions", schema=SCHEMA)
