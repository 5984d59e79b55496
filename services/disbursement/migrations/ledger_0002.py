"""Revision disbursement_0002's tables of the ledger (entitlements, their periods and schedule, deaths, holds, county
versions) and of bank accounts (accounts, shared-account warnings, unmasked reads), as that revision created them.

Frozen with the revision: a later change to a model is a new revision, never an edit here."""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql


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


def downgrade() -> None:
    op.drop_table("schedule_segments", schema="disbursement")
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
