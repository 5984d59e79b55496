"""Moves of recipient households between villages, townships and counties (issue 21).

Revision ID: casework_0010
Revises: casework_0009
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision: str = "casework_0010"
down_revision: str | None = "casework_0009"


def upgrade() -> None:
    op.create_table(
        "household_moves",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("household_id", sa.Text(), nullable=False),
        sa.Column("from_region_code", sa.Text(), nullable=False),
        sa.Column("to_region_code", sa.Text(), nullable=False),
        sa.Column("scope", sa.Text(), nullable=False),
        sa.Column("effective_month", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("requested_by", sa.Text(), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.Text(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_reason", sa.Text(), nullable=True),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["household_id"], ["casework.households.id"], name=op.f("fk_household_moves_household_id_households")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_household_moves")),
        schema="casework",
    )
    for name, columns in (
        ("ix_household_moves_household_id_requested_at", ["household_id", "requested_at"]),
        ("ix_household_moves_to_region_code_status", ["to_region_code", "status"]),
        ("ix_household_moves_status_effective_month", ["status", "effective_month"]),
    ):
        op.create_index(op.f(name), "household_moves", columns, schema="casework")


def downgrade() -> None:
    op.drop_table("household_moves", schema="casework")
