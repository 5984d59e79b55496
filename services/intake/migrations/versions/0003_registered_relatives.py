"""Casework's close-relative register as intake learns it (issue 21): a registered relative is refused on the
applications and leads of the relative's household, not only one declared on the application (DOMAIN.md §7).

Revision ID: intake_0003
Revises: intake_0002
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision: str = "intake_0003"
down_revision: str | None = "intake_0002"


def upgrade() -> None:
    op.create_table(
        "registered_relatives",
        sa.Column("filing_id", sa.Text(), nullable=False),
        sa.Column("staff_user", sa.Text(), nullable=True),
        sa.Column("staff_name", sa.Text(), nullable=False),
        sa.Column("relative_hash", sa.Text(), nullable=False),
        sa.Column("filed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("filing_id", name=op.f("pk_registered_relatives")),
        schema="intake",
    )
    op.create_index(
        "ix_registered_relatives_relative_hash",
        "registered_relatives",
        ["relative_hash"],
        schema="intake",
        postgresql_where="withdrawn_at IS NULL",
    )


def downgrade() -> None:
    op.drop_index(
        "ix_registered_relatives_relative_hash",
        table_name="registered_relatives",
        schema="intake",
        postgresql_where="withdrawn_at IS NULL",
    )
    op.drop_table("registered_relatives", schema="intake")
