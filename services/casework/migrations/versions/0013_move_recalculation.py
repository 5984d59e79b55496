"""A move records the programs its new figures could not recalculate, left for a review by hand (issue 21).

Revision ID: casework_0013
Revises: casework_0012
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "casework_0013"
down_revision: str | None = "casework_0012"


def upgrade() -> None:
    # Moves applied before this revision recalculated nothing: none left anything for review. The server default
    # fills them and is dropped, as the model sets the value.
    op.add_column(
        "household_moves",
        sa.Column("left_for_review", postgresql.ARRAY(sa.Text()), nullable=False, server_default="{}"),
        schema="casework",
    )
    op.alter_column("household_moves", "left_for_review", server_default=None, schema="casework")


def downgrade() -> None:
    op.drop_column("household_moves", "left_for_review", schema="casework")
