"""The democratic evaluation (民主评议, issue 21): one per investigation round of a case.

Revision ID: casework_0011
Revises: casework_0010
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "casework_0011"
down_revision: str | None = "casework_0010"


def upgrade() -> None:
    op.create_table(
        "case_evaluations",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("case_id", sa.Text(), nullable=False),
        sa.Column("investigation_round", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("place", sa.Text(), nullable=False),
        sa.Column("participants", sa.Integer(), nullable=False),
        sa.Column("panel_names", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("panel_roles", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("result", sa.Text(), nullable=False),
        sa.Column("agree", sa.Integer(), nullable=False),
        sa.Column("disagree", sa.Integer(), nullable=False),
        sa.Column("abstain", sa.Integer(), nullable=False),
        sa.Column("dissent_sealed", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["casework.cases.id"], name=op.f("fk_case_evaluations_case_id_cases")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_evaluations")),
        sa.UniqueConstraint("case_id", "investigation_round", name="uq_case_evaluations_case_round"),
        schema="casework",
    )
    op.create_index(op.f("ix_case_evaluations_case_id"), "case_evaluations", ["case_id"], schema="casework")


def downgrade() -> None:
    op.drop_index(op.f("ix_case_evaluations_case_id"), table_name="case_evaluations", schema="casework")
    op.drop_table("case_evaluations", schema="casework")
