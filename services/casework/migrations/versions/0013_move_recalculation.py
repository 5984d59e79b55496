"""A move records the programs its new figures could not recalculate, left for a review by hand (issue 21).

Revision ID: casework_0013
Revises: casework_0012
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from libs.kernel.migrations import add_column_filled

revision: str = "casework_0013"
down_revision: str | None = "casework_0012"


def upgrade() -> None:
    # Moves applied before this revision recalculated nothing: none left anything for review.
    add_column_filled("household_moves", "left_for_review", postgresql.ARRAY(sa.Text()), "{}", schema="casework")


def downgrade() -> None:
    op.drop_column("household_moves", "left_for_review", schema="casework")
