"""Temporary assistance as one payment (临时救助, issue 20): the grants, each paid once, never an entitlement.

Revision ID: casework_0006
Revises: casework_0005
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "casework_0006"
down_revision: str | None = "casework_0005"


def upgrade() -> None:
    op.create_table(
        "temporary_grants",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("region_code", sa.Text(), nullable=False),
        sa.Column("household_id", sa.Text(), nullable=True),
        sa.Column("case_id", sa.Text(), nullable=True),
        sa.Column("person_hash", sa.Text(), nullable=False),
        sa.Column("id_number_sealed", sa.Text(), nullable=False),
        sa.Column("name_masked", sa.Text(), nullable=False),
        sa.Column("name_sealed", sa.Text(), nullable=False),
        sa.Column("family_size", sa.Integer(), nullable=False),
        sa.Column("cause", sa.Text(), nullable=False),
        sa.Column("situation", sa.Text(), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("account", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("discovered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("pay_by", sa.Date(), nullable=False),
        sa.Column("pay_by_provisional", sa.Boolean(), nullable=False),
        sa.Column("payment", sa.Text(), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("failure_reason", sa.Text(), nullable=True),
        sa.Column("review", sa.Text(), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=True),
        sa.Column("explained_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("explained_by", sa.Text(), nullable=True),
        sa.Column("review_reason", sa.Text(), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reviewed_by", sa.Text(), nullable=True),
        sa.Column("granted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("granted_by", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_temporary_grants")),
        sa.UniqueConstraint("case_id", name=op.f("uq_temporary_grants_case_id")),
        schema="casework",
    )
    op.create_index(
        op.f("ix_temporary_grants_region_code_granted_at"),
        "temporary_grants",
        ["region_code", "granted_at"],
        schema="casework",
    )
    op.create_index(
        op.f("ix_temporary_grants_person_hash_cause_granted_at"),
        "temporary_grants",
        ["person_hash", "cause", "granted_at"],
        schema="casework",
    )
    op.create_index(
        op.f("ix_temporary_grants_pay_by"),
        "temporary_grants",
        ["pay_by"],
        schema="casework",
        postgresql_where=sa.text("payment <> 'paid'"),
    )


def downgrade() -> None:
    op.drop_table("temporary_grants", schema="casework")
