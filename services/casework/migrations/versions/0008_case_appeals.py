"""Appeals against refusals, stops and reductions (复核/申诉, issue 21): one per decided case.

Revision ID: casework_0008
Revises: casework_0007
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "casework_0008"
down_revision: str | None = "casework_0007"


def upgrade() -> None:
    op.create_table(
        "case_appeals",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("case_id", sa.Text(), nullable=False),
        sa.Column("region_code", sa.Text(), nullable=False),
        sa.Column("household_id", sa.Text(), nullable=True),
        sa.Column("program", sa.Text(), nullable=False),
        sa.Column("ground", sa.Text(), nullable=False),
        sa.Column("against_outcome", sa.Text(), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("original_decided_by", sa.Text(), nullable=False),
        sa.Column("original_effective_month", sa.Text(), nullable=True),
        sa.Column("window_ends_on", sa.Date(), nullable=False),
        sa.Column("statement", sa.Text(), nullable=False),
        sa.Column("filed_by", sa.Text(), nullable=False),
        sa.Column("filed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("reasons", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("effective_month", sa.Text(), nullable=True),
        sa.Column("decided_by", sa.Text(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["casework.cases.id"], name=op.f("fk_case_appeals_case_id_cases")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_appeals")),
        sa.UniqueConstraint("case_id", name=op.f("uq_case_appeals_case_id")),
        schema="casework",
    )
    op.create_index(
        op.f("ix_case_appeals_region_code_status_filed_at"),
        "case_appeals",
        ["region_code", "status", "filed_at"],
        schema="casework",
    )


def downgrade() -> None:
    op.drop_table("case_appeals", schema="casework")
