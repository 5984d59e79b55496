"""Raising a standard (提标, issue 20): the county's confirmed batches, with their progress and resume point.

Revision ID: casework_0005
Revises: casework_0004
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision: str = "casework_0005"
down_revision: str | None = "casework_0004"


def upgrade() -> None:
    op.create_table(
        "standard_raise_batches",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("county_code", sa.Text(), nullable=False),
        sa.Column("effective_month", sa.Text(), nullable=False),
        sa.Column("standards_key", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("changed", sa.Integer(), nullable=False),
        sa.Column("cursor", sa.Text(), nullable=True),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_standard_raise_batches")),
        sa.UniqueConstraint(
            "county_code",
            "effective_month",
            "standards_key",
            name="uq_standard_raise_batches_county_month_key",
        ),
        schema="casework",
    )


def downgrade() -> None:
    op.drop_table("standard_raise_batches", schema="casework")
