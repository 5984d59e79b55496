"""The entitlement ledger (entitlements, their periods and months, deaths, holds), bank accounts with the
shared-account warnings and the audit of unmasked reads, rosters with their lines, items and sealed exports, one-off
batches, and recovery orders.

Revision ID: disbursement_0002
Revises: disbursement_0001
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "disbursement_0002"
down_revision: str | None = "disbursement_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "account_reads",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("actor_kind", sa.Text(), nullable=False),
        sa.Column("actor_name", sa.Text(), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("household_id", sa.Text(), nullable=True),
        sa.Column("roster_id", sa.Text(), nullable=True),
        sa.Column("accounts", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_reads")),
        schema="disbursement",
    )
    op.create_index(
        op.f("ix_account_reads_household_id"), "account_reads", ["household_id"], unique=False, schema="disbursement"
    )
    op.create_index(
        op.f("ix_account_reads_roster_id"), "account_reads", ["roster_id"], unique=False, schema="disbursement"
    )
    op.create_table(
        "account_warnings",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("account_hash", sa.Text(), nullable=False),
        sa.Column("account_no_masked", sa.Text(), nullable=False),
        sa.Column("county_codes", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("household_ids", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cleared_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cleared_by", sa.Text(), nullable=True),
        sa.Column("clear_reason", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_warnings")),
        schema="disbursement",
    )
    op.create_index(
        op.f("ix_account_warnings_account_hash"),
        "account_warnings",
        ["account_hash"],
        unique=True,
        schema="disbursement",
        postgresql_where=sa.text("status = 'open'"),
    )
    op.create_table(
        "bank_accounts",
        sa.Column("household_id", sa.Text(), nullable=False),
        sa.Column("county_code", sa.Text(), nullable=False),
        sa.Column("bank_code", sa.Text(), nullable=False),
        sa.Column("holder_name", sa.Text(), nullable=False),
        sa.Column("account_no_masked", sa.Text(), nullable=False),
        sa.Column("account_no_sealed", sa.Text(), nullable=False),
        sa.Column("account_hash", sa.Text(), nullable=False),
        sa.Column("source_ref", sa.Text(), nullable=False),
        sa.Column("origin", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("failure_reason", sa.Text(), nullable=True),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("household_id", name=op.f("pk_bank_accounts")),
        schema="disbursement",
    )
    op.create_index(
        op.f("ix_bank_accounts_account_hash"), "bank_accounts", ["account_hash"], unique=False, schema="disbursement"
    )
    op.create_table(
        "county_ledgers",
        sa.Column("region_code", sa.Text(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("first_period", sa.Date(), nullable=True),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("region_code", name=op.f("pk_county_ledgers")),
        schema="disbursement",
    )
    op.create_table(
        "deaths",
        sa.Column("person_hash", sa.Text(), nullable=False),
        sa.Column("name_masked", sa.Text(), nullable=False),
        sa.Column("death_date", sa.Date(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("feed_id", sa.Text(), nullable=False),
        sa.Column("household_ids", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("detected_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("released_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("released_by", sa.Text(), nullable=True),
        sa.Column("release_reason", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("person_hash", name=op.f("pk_deaths")),
        schema="disbursement",
    )
    op.create_table(
        "entitlement_periods",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("entitlement_id", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("first_month", sa.Date(), nullable=False),
        sa.Column("last_month", sa.Date(), nullable=True),
        sa.Column("member_hashes", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entitlement_periods")),
        schema="disbursement",
    )
    op.create_index(
        op.f("ix_entitlement_periods_entitlement_id"),
        "entitlement_periods",
        ["entitlement_id"],
        unique=False,
        schema="disbursement",
    )
    op.create_table(
        "entitlements",
        sa.Column("entitlement_id", sa.Text(), nullable=False),
        sa.Column("household_id", sa.Text(), nullable=False),
        sa.Column("region_code", sa.Text(), nullable=False),
        sa.Column("county_code", sa.Text(), nullable=False),
        sa.Column("program", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("payee_name", sa.Text(), nullable=False),
        sa.Column("payee_id_sealed", sa.Text(), nullable=False),
        sa.Column("payee_hash", sa.Text(), nullable=False),
        sa.Column("export_sealed", sa.Text(), nullable=True),
        sa.Column("member_count", sa.Integer(), nullable=False),
        sa.Column("member_hashes", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("members_as_of", sa.DateTime(timezone=True), nullable=False),
        sa.Column("case_id", sa.Text(), nullable=True),
        sa.Column("dirty_from", sa.Date(), nullable=True),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("entitlement_id", name=op.f("pk_entitlements")),
        schema="disbursement",
    )
    op.create_index(
        op.f("ix_entitlements_county_code_program"),
        "entitlements",
        ["county_code", "program"],
        unique=False,
        schema="disbursement",
    )
    op.create_index(
        op.f("ix_entitlements_household_id"), "entitlements", ["household_id"], unique=False, schema="disbursement"
    )
    op.create_table(
        "holds",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("household_id", sa.Text(), nullable=False),
        sa.Column("county_code", sa.Text(), nullable=False),
        sa.Column("program", sa.Text(), nullable=True),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("person_hash", sa.Text(), nullable=True),
        sa.Column("from_month", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.Column("released_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("released_by", sa.Text(), nullable=True),
        sa.Column("release_reason", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_holds")),
        schema="disbursement",
    )
    op.create_index(
        op.f("ix_holds_county_code_kind_created_at"),
        "holds",
        ["county_code", "kind", "created_at"],
        unique=False,
        schema="disbursement",
    )
    op.create_index(
        op.f("ix_holds_household_id"),
        "holds",
        ["household_id"],
        unique=False,
        schema="disbursement",
        postgresql_where=sa.text("released_at IS NULL"),
    )
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
        "schedule_segments",
        sa.Column("entitlement_id", sa.Text(), nullable=False),
        sa.Column("first_month", sa.Date(), nullable=False),
        sa.Column("last_month", sa.Date(), nullable=True),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("due_fen", sa.BigInteger(), nullable=False),
        sa.Column("origin", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("entitlement_id", "first_month", name=op.f("pk_schedule_segments")),
        schema="disbursement",
    )
    # ### end Alembic commands ###


def downgrade() -> None:
    op.drop_table("schedule_segments", schema="disbursement")
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
    op.drop_index(op.f("ix_recovery_months_entitlement_id"), table_name="recovery_months", schema="disbursement")
    op.drop_table("recovery_months", schema="disbursement")
    op.drop_index(op.f("ix_recovery_collections_recovery_id"), table_name="recovery_collections", schema="disbursement")
    op.drop_table("recovery_collections", schema="disbursement")
    op.drop_index(op.f("ix_recoveries_household_id"), table_name="recoveries", schema="disbursement")
    op.drop_index(op.f("ix_recoveries_entitlement_id"), table_name="recoveries", schema="disbursement")
    op.drop_index(op.f("ix_recoveries_county_code_status_detected_at"), table_name="recoveries", schema="disbursement")
    op.drop_table("recoveries", schema="disbursement")
    op.drop_index(op.f("ix_one_off_batches_program_period"), table_name="one_off_batches", schema="disbursement")
    op.drop_table("one_off_batches", schema="disbursement")
    op.drop_index(op.f("ix_line_items_recovery_id"), table_name="line_items", schema="disbursement")
    op.drop_index(op.f("ix_line_items_line_id"), table_name="line_items", schema="disbursement")
    op.drop_index(op.f("ix_line_items_entitlement_id"), table_name="line_items", schema="disbursement")
    op.drop_table("line_items", schema="disbursement")
    op.drop_index(
        op.f("ix_holds_household_id"),
        table_name="holds",
        schema="disbursement",
        postgresql_where=sa.text("released_at IS NULL"),
    )
    op.drop_index(op.f("ix_holds_county_code_kind_created_at"), table_name="holds", schema="disbursement")
    op.drop_table("holds", schema="disbursement")
    op.drop_index(op.f("ix_entitlements_household_id"), table_name="entitlements", schema="disbursement")
    op.drop_index(op.f("ix_entitlements_county_code_program"), table_name="entitlements", schema="disbursement")
    op.drop_table("entitlements", schema="disbursement")
    op.drop_index(
        op.f("ix_entitlement_periods_entitlement_id"), table_name="entitlement_periods", schema="disbursement"
    )
    op.drop_table("entitlement_periods", schema="disbursement")
    op.drop_table("deaths", schema="disbursement")
    op.drop_table("county_ledgers", schema="disbursement")
    op.drop_index(op.f("ix_bank_accounts_account_hash"), table_name="bank_accounts", schema="disbursement")
    op.drop_table("bank_accounts", schema="disbursement")
    op.drop_index(
        op.f("ix_account_warnings_account_hash"),
        table_name="account_warnings",
        schema="disbursement",
        postgresql_where=sa.text("status = 'open'"),
    )
    op.drop_table("account_warnings", schema="disbursement")
    op.drop_index(op.f("ix_account_reads_roster_id"), table_name="account_reads", schema="disbursement")
    op.drop_index(op.f("ix_account_reads_household_id"), table_name="account_reads", schema="disbursement")
    op.drop_table("account_reads", schema="disbursement")
    # ### end Alembic commands ###
