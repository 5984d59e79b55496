"""Monthly figures kept per village (issue 22, "Statistics"): built nightly for the month so far and once after its
end, so a city's month adds up stored rows.

Revision ID: casework_0017
Revises: casework_0016
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "casework_0017"
down_revision: str | None = "casework_0016"


def upgrade() -> None:
    op.create_table(
        "monthly_figure_builds",
        sa.Column("month", sa.Text(), nullable=False),
        sa.Column("region_prefix", sa.Text(), nullable=False),
        sa.Column("built_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("month", "region_prefix"),
        schema="casework",
    )
    op.create_table(
        "monthly_figures",
        sa.Column("month", sa.Text(), nullable=False),
        sa.Column("area_code", sa.Text(), nullable=False),
        sa.Column("figures", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.PrimaryKeyConstraint("month", "area_code"),
        schema="casework",
    )


def downgrade() -> None:
    op.drop_table("monthly_figures", schema="casework")
    op.drop_table("monthly_figure_builds", schema="casework")
