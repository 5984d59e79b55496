"""Jurisdiction lists by prefix: the region index in text_pattern_ops and an index on the handling unit, so that a
county's ledger and overdue list read that county's items, not the province's.

Revision ID: complaints_0003
Revises: complaints_0002
Create Date: 2026-12-05
"""

from alembic import op

from libs.kernel.migrations import replace_index

revision: str = "complaints_0003"
down_revision: str | None = "complaints_0002"


def upgrade() -> None:
    replace_index(
        "ix_complaints_region",
        "complaints",
        ["region_code", "received_at"],
        schema="complaints",
        postgresql_ops={"region_code": "text_pattern_ops"},
    )
    op.create_index(
        "ix_complaints_unit",
        "complaints",
        ["assigned_unit", "received_at"],
        unique=False,
        schema="complaints",
        postgresql_ops={"assigned_unit": "text_pattern_ops"},
    )


def downgrade() -> None:
    op.drop_index("ix_complaints_unit", table_name="complaints", schema="complaints")
    replace_index("ix_complaints_region", "complaints", ["region_code", "received_at"], schema="complaints")
