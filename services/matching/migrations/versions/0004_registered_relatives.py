"""Casework's close-relative register as matching learns it (issue 21): a staff member filed as the relative of a
member of a hit's household may not confirm or dismiss the hit (DOMAIN.md §7).

Revision ID: matching_0004
Revises: matching_0003
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision: str = "matching_0004"
down_revision: str | None = "matching_0003"


def upgrade() -> None:
    op.create_table(
        "registered_relatives",
        sa.Column("filing_id", sa.Text(), nullable=False),
        sa.Column("staff_user", sa.Text(), nullable=True),
        sa.Column("staff_name", sa.Text(), nullable=False),
        sa.Column("relative", sa.UUID(), nullable=False),
        sa.Column("filed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("filing_id", name=op.f("pk_registered_relatives")),
        schema="matching",
    )
    op.create_index(
        "ix_registered_relatives_relative",
        "registered_relatives",
        ["relative"],
        schema="matching",
        postgresql_where="withdrawn_at IS NULL",
    )


def downgrade() -> None:
    op.drop_index(
        "ix_registered_relatives_relative",
        table_name="registered_relatives",
        schema="matching",
        postgresql_where="withdrawn_at IS NULL",
    )
    op.drop_table("registered_relatives", schema="matching")
