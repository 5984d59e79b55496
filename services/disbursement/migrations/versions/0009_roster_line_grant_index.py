"""A roster line's grant index holds the lines of temporary grants only (issue 23): a monthly roster's million lines
name no grant, and each of them cost the build an index entry that no look-up by grant ever reads.

Revision ID: disbursement_0009
Revises: disbursement_0008
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

from libs.kernel.migrations import replace_index

revision: str = "disbursement_0009"
down_revision: str | None = "disbursement_0008"


def _grant_index(where: str | None) -> None:
    replace_index(
        op.f("ix_roster_lines_grant_id"),
        "roster_lines",
        ["grant_id"],
        schema="disbursement",
        postgresql_where=sa.text(where) if where else None,
    )


def upgrade() -> None:
    _grant_index("grant_id IS NOT NULL")


def downgrade() -> None:
    _grant_index(None)
