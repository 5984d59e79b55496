"""Hits by region and month for the monthly figures (issue 22): the region prefix (text_pattern_ops) with each moment
a figure counts by — raised, answered, due — so a county's month reads that county's hits of the month (a bitmap OR of
three ranges) instead of every hit of every year.

Revision ID: matching_0007
Revises: matching_0006
Create Date: 2026-12-07
"""

from alembic import op

revision: str = "matching_0007"
down_revision: str | None = "matching_0006"

_INDEXES = {
    "ix_hits_region_raised": "raised_at",
    "ix_hits_region_resolved": "resolved_at",
    "ix_hits_region_due": "due_date",
}


def upgrade() -> None:
    for name, column in _INDEXES.items():
        op.create_index(
            name,
            "hits",
            ["region_code", column],
            unique=False,
            schema="matching",
            postgresql_ops={"region_code": "text_pattern_ops"},
        )


def downgrade() -> None:
    for name in _INDEXES:
        op.drop_index(name, table_name="hits", schema="matching")
