"""The gateway's outbox of hotline callbacks: a new client's callback and sealed secret, until complaints has them.

Revision ID: gateway_0003
Revises: gateway_0002
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "gateway_0003"
down_revision: str | None = "gateway_0002"

SCHEMA = "gateway"


def upgrade() -> None:
    op.create_table(
        "callback_deliveries",
        sa.Column("client_id", sa.String(64), nullable=False),
        sa.Column("callback_url", sa.String(2048), nullable=False),
        sa.Column("region_code", sa.String(12), nullable=False),
        sa.Column("secret_sealed", sa.Text(), nullable=False),
        sa.Column("actor", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("last_error", sa.String(200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("client_id", name="pk_callback_deliveries"),
        schema=SCHEMA,
    )
    op.create_index("ix_callback_deliveries_next_attempt_at", "callback_deliveries", ["next_attempt_at"], schema=SCHEMA)


def downgrade() -> None:
    op.drop_table("callback_deliveries", schema=SCHEMA)
