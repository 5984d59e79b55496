"""The entitlement ledger (entitlements, their periods and months, deaths, holds), bank accounts with the
shared-account warnings and the audit of unmasked reads, rosters with their lines, items and sealed exports, one-off
batches, and recovery orders.

Revision ID: disbursement_0002
Revises: disbursement_0001
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from services.disbursement.migrations import ledger_0002

revision: str = "disbursement_0002"
down_revision: str | None = "disbursement_0001"


# No table refers to another by a foreign key: the ledger's and the accounts' tables (ledger_0002) come first, then
# the rosters' and the recoveries', and they are dropped in reverse.
def upgrade() -> None:
    ledger_0002.upgrade()
    op.create_table(
        "line_items",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("line_id", sa.Text(), nullable=False),
        sa.Column("roster_id", sa.Text(), nullable=False),
        sa.Column("entitlement_id", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("month", sa.Date(), nullable=True),
        sa.Column("one_off_id", sa.Text(), nullable=True),
        sa.Column("recovery_id", sa.Text(), nullable=True),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_line_items")),
        schema="disbursement",
    )
    op.create_index(
        op.f("ix_line_items_entitlement_id"), "line_items", ["entitlement_id"], unique=False, schema="disbursement"
    )
    op.create_index(op.f("ix_line_items_line_id"), "line_items", ["line_id"], unique=False, schema="disbursement")
    op.create_index(
        op.f("ix_line_items_recovery_id"), "line_items", ["recovery_id"], unique=False, schema="disbursement"
    )
    op.create_table(
        "one_off_batches",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("program", sa.Text(), nullable=False),
        sa.Column("region_prefix", sa.Text(), nullable=False),
        sa.Column("period", sa.Date(), nullable=False),
        sa.Column("basis", sa.Text(), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_one_off_batches")),
        schema="disbursement",
    )
    op.create_index(
        op.f("ix_one_off_batches_program_period"),
        "one_off_batches",
        ["program", "period"],
        unique=False,
        schema="disbursement",
    )
    op.create_table(
        "roster_exports",
        sa.Column("roster_id", sa.Text(), nullable=False),
        sa.Column("chunk_no", sa.Integer(), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("roster_id", "chunk_no", name=op.f("pk_roster_exports")),
        schema="disbursement",
    )
    op.create_table(
        "roster_settles",
        sa.Column("roster_id", sa.Text(), nullable=False),
        sa.Column("entitlement_id", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("roster_id", "entitlement_id", name=op.f("pk_roster_settles")),
        schema="disbursement",
    )
    op.create_table(
        "roster_lines",
        sa.Column("line_id", sa.Text(), nullable=False),
        sa.Column("roster_id", sa.Text(), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("period", sa.Date(), nullable=False),
        sa.Column("household_id", sa.Text(), nullable=False),
        sa.Column("entitlement_id", sa.Text(), nullable=False),
        sa.Column("program", sa.Text(), nullable=False),
        sa.Column("region_code", sa.Text(), nullable=False),
        sa.Column("payee_name", sa.Text(), nullable=False),
        sa.Column("bank_code", sa.Text(), nullable=False),
        sa.Column("account_no_masked", sa.Text(), nullable=False),
        sa.Column("regular_fen", sa.BigInteger(), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("bank_txn_id", sa.Text(), nullable=True),
        sa.Column("failure_reason", sa.Text(), nullable=True),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("line_id", name=op.f("pk_roster_lines")),
        schema="disbursement",
    )
    op.create_index(
        op.f("ix_roster_lines_entitlement_id_period"),
        "roster_lines",
        ["entitlement_id", "period"],
        unique=False,
        schema="disbursement",
    )
    op.create_index(
        op.f("ix_roster_lines_roster_id_line_no"),
        "roster_lines",
        ["roster_id", "line_no"],
        unique=True,
        schema="disbursement",
    )
    op.create_table(
        "rosters",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("region_code", sa.Text(), nullable=False),
        sa.Column("period", sa.Date(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("ledger_version", sa.BigInteger(), nullable=False),
        sa.Column("line_count", sa.Integer(), nullable=False),
        sa.Column("total_fen", sa.BigInteger(), nullable=False),
        sa.Column("totals", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("held", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("built_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("built_by", sa.Text(), nullable=False),
        sa.Column("checksum", sa.Text(), nullable=True),
        sa.Column("export_bytes", sa.BigInteger(), nullable=True),
        sa.Column("export_chunks", sa.Integer(), nullable=True),
        sa.Column("export_chunk_lines", sa.Integer(), nullable=True),
        sa.Column("locked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("locked_by", sa.Text(), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("submitted_by", sa.Text(), nullable=True),
        sa.Column("paid_lines", sa.Integer(), nullable=False),
        sa.Column("paid_fen", sa.BigInteger(), nullable=False),
        sa.Column("failed_lines", sa.Integer(), nullable=False),
        sa.Column("failed_fen", sa.BigInteger(), nullable=False),
        sa.Column("reconciled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reconciled_by", sa.Text(), nullable=True),
        sa.Column("reconciliation", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancelled_by", sa.Text(), nullable=True),
        sa.Column("cancel_reason", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rosters")),
        schema="disbursement",
    )
    op.create_index(
        op.f("ix_rosters_period_status"), "rosters", ["period", "status"], unique=False, schema="disbursement"
    )
    op.create_index(
        op.f("ix_rosters_region_code_period"),
        "rosters",
        ["region_code", "period"],
        unique=True,
        schema="disbursement",
        postgresql_where=sa.text("status <> 'cancelled'"),
    )

    op.create_table(
        "recoveries",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("household_id", sa.Text(), nullable=False),
        sa.Column("entitlement_id", sa.Text(), nullable=False),
        sa.Column("county_code", sa.Text(), nullable=False),
        sa.Column("program", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("months", postgresql.ARRAY(sa.Date()), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("detected_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("collected_fen", sa.BigInteger(), nullable=False),
        sa.Column("waived_fen", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by", sa.Text(), nullable=True),
        sa.Column("waive_reason", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recoveries")),
        schema="disbursement",
    )
    op.create_index(
        op.f("ix_recoveries_county_code_status_detected_at"),
        "recoveries",
        ["county_code", "status", "detected_at"],
        unique=False,
        schema="disbursement",
    )
    op.create_index(
        op.f("ix_recoveries_entitlement_id"), "recoveries", ["entitlement_id"], unique=False, schema="disbursement"
    )
    op.create_index(
        op.f("ix_recoveries_household_id"), "recoveries", ["household_id"], unique=False, schema="disbursement"
    )
    op.create_table(
        "recovery_collections",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("recovery_id", sa.Text(), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recovery_collections")),
        schema="disbursement",
    )
    op.create_index(
        op.f("ix_recovery_collections_recovery_id"),
        "recovery_collections",
        ["recovery_id"],
        unique=False,
        schema="disbursement",
    )
    op.create_table(
        "recovery_months",
        sa.Column("recovery_id", sa.Text(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("entitlement_id", sa.Text(), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("recovery_id", "month", name=op.f("pk_recovery_months")),
        schema="disbursement",
    )
    op.create_index(
        op.f("ix_recovery_months_entitlement_id"),
        "recovery_months",
        ["entitlement_id"],
        unique=False,
        schema="disbursement",
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_recovery_months_entitlement_id"), table_name="recovery_months", schema="disbursement")
    op.drop_table("recovery_months", schema="disbursement")
    op.drop_index(op.f("ix_recovery_collections_recovery_id"), table_name="recovery_collections", schema="disbursement")
    op.drop_table("recovery_collections", schema="disbursement")
    op.drop_index(op.f("ix_recoveries_household_id"), table_name="recoveries", schema="disbursement")
    op.drop_index(op.f("ix_recoveries_entitlement_id"), table_name="recoveries", schema="disbursement")
    op.drop_index(op.f("ix_recoveries_county_code_status_detected_at"), table_name="recoveries", schema="disbursement")
    op.drop_table("recoveries", schema="disbursement")
    op.drop_index(
        op.f("ix_rosters_region_code_period"),
        table_name="rosters",
        schema="disbursement",
        postgresql_where=sa.text("status <> 'cancelled'"),
    )
    op.drop_index(op.f("ix_rosters_period_status"), table_name="rosters", schema="disbursement")
    op.drop_table("rosters", schema="disbursement")
    op.drop_index(op.f("ix_roster_lines_roster_id_line_no"), table_name="roster_lines", schema="disbursement")
    op.drop_index(op.f("ix_roster_lines_entitlement_id_period"), table_name="roster_lines", schema="disbursement")
    op.drop_table("roster_lines", schema="disbursement")
    op.drop_table("roster_settles", schema="disbursement")
    op.drop_table("roster_exports", schema="disbursement")
    op.drop_index(op.f("ix_one_off_batches_program_period"), table_name="one_off_batches", schema="disbursement")
    op.drop_table("one_off_batches", schema="disbursement")
    op.drop_index(op.f("ix_line_items_recovery_id"), table_name="line_items", schema="disbursement")
    op.drop_index(op.f("ix_line_items_line_id"), table_name="line_items", schema="disbursement")
    op.drop_index(op.f("ix_line_items_entitlement_id"), table_name="line_items", schema="disbursement")
    op.drop_table("line_items", schema="disbursement")
    ledger_0002.downgrade()
