"""Temporary grants paid once (issue 20): rosters gain a kind (`monthly` as before, or `temporary` for a grant's
off-cycle payment order), the one-roster-per-county-and-month rule holds for monthly rosters only; a line may name a
grant instead of an entitlement and carry its sealed payee part; a recovery order may be on a grant (its region kept);
the grants and their reclaims.

Revision ID: disbursement_0004
Revises: disbursement_0003
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

from libs.kernel.migrations import add_column_filled, replace_index

revision: str = "disbursement_0004"
down_revision: str | None = "disbursement_0003"


def _one_roster_a_month(where: str) -> None:
    """The unique index of a county's roster of a month, over the rosters `where` says."""
    replace_index(
        op.f("ix_rosters_region_code_period"),
        "rosters",
        ["region_code", "period"],
        unique=True,
        schema="disbursement",
        postgresql_where=sa.text(where),
    )


def upgrade() -> None:
    # Every existing roster is a monthly one; new rows say their kind.
    add_column_filled("rosters", "kind", sa.Text(), "monthly", schema="disbursement")
    _one_roster_a_month("status <> 'cancelled' AND kind = 'monthly'")
    op.alter_column("roster_lines", "entitlement_id", nullable=True, schema="disbursement")
    op.add_column("roster_lines", sa.Column("grant_id", sa.Text(), nullable=True), schema="disbursement")
    op.add_column("roster_lines", sa.Column("grant_attempt", sa.Integer(), nullable=True), schema="disbursement")
    op.add_column("roster_lines", sa.Column("payee_sealed", sa.Text(), nullable=True), schema="disbursement")
    op.create_index(op.f("ix_roster_lines_grant_id"), "roster_lines", ["grant_id"], unique=False, schema="disbursement")
    op.add_column("recoveries", sa.Column("region_code", sa.Text(), nullable=True), schema="disbursement")
    op.create_table(
        "temporary_grants",
        sa.Column("grant_id", sa.Text(), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("region_code", sa.Text(), nullable=False),
        sa.Column("county_code", sa.Text(), nullable=False),
        sa.Column("household_id", sa.Text(), nullable=True),
        sa.Column("case_id", sa.Text(), nullable=True),
        sa.Column("payee_hash", sa.Text(), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("discovered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("pay_by", sa.Date(), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("order_id", sa.Text(), nullable=False),
        sa.Column("line_id", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("grant_id", "attempt", name=op.f("pk_temporary_grants")),
        schema="disbursement",
    )
    op.create_index(
        op.f("ix_temporary_grants_order_id"), "temporary_grants", ["order_id"], unique=False, schema="disbursement"
    )
    op.create_table(
        "grant_reclaims",
        sa.Column("grant_id", sa.Text(), nullable=False),
        sa.Column("region_code", sa.Text(), nullable=False),
        sa.Column("household_id", sa.Text(), nullable=True),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("reclaimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recovery_id", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("grant_id", name=op.f("pk_grant_reclaims")),
        schema="disbursement",
    )


def downgrade() -> None:
    op.drop_table("grant_reclaims", schema="disbursement")
    op.drop_index(op.f("ix_temporary_grants_order_id"), table_name="temporary_grants", schema="disbursement")
    op.drop_table("temporary_grants", schema="disbursement")
    op.drop_column("recoveries", "region_code", schema="disbursement")
    op.drop_index(op.f("ix_roster_lines_grant_id"), table_name="roster_lines", schema="disbursement")
    op.drop_column("roster_lines", "payee_sealed", schema="disbursement")
    op.drop_column("roster_lines", "grant_attempt", schema="disbursement")
    op.drop_column("roster_lines", "grant_id", schema="disbursement")
    # Payment orders go with their kind: their lines have no entitlement.
    op.execute(
        "DELETE FROM disbursement.roster_exports WHERE roster_id IN (SELECT id FROM disbursement.rosters WHERE kind = 'temporary')"
    )
    op.execute("DELETE FROM disbursement.roster_lines WHERE entitlement_id IS NULL")
    op.execute("DELETE FROM disbursement.rosters WHERE kind = 'temporary'")
    op.alter_column("roster_lines", "entitlement_id", nullable=False, schema="disbursement")
    _one_roster_a_month("status <> 'cancelled'")
    op.drop_column("rosters", "kind", schema="disbursement")
