"""Annual review campaigns (年度复核, issue 21): one per county and year, and the campaign and procedure of a case.

Revision ID: casework_0009
Revises: casework_0008
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

from libs.kernel.migrations import add_column_filled

revision: str = "casework_0009"
down_revision: str | None = "casework_0008"


def upgrade() -> None:
    op.create_table(
        "review_campaigns",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("county_code", sa.Text(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("window_start", sa.Date(), nullable=False),
        sa.Column("window_end", sa.Date(), nullable=False),
        sa.Column("simplified", sa.Boolean(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("households", sa.Integer(), nullable=False),
        sa.Column("opened", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.Integer(), nullable=False),
        sa.Column("cursor", sa.Text(), nullable=True),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_campaigns")),
        sa.UniqueConstraint("county_code", "year", name="uq_review_campaigns_county_year"),
        schema="casework",
    )
    op.add_column("cases", sa.Column("campaign_id", sa.Text(), nullable=True), schema="casework")
    # Existing cases follow the normal procedure.
    add_column_filled("cases", "simplified_review", sa.Boolean(), sa.text("false"), schema="casework")
    op.create_index(
        "ix_cases_campaign_id",
        "cases",
        ["campaign_id"],
        schema="casework",
        postgresql_where="campaign_id IS NOT NULL",
    )


def downgrade() -> None:
    op.drop_index(
        "ix_cases_campaign_id", table_name="cases", schema="casework", postgresql_where="campaign_id IS NOT NULL"
    )
    op.drop_column("cases", "simplified_review", schema="casework")
    op.drop_column("cases", "campaign_id", schema="casework")
    op.drop_table("review_campaigns", schema="casework")
