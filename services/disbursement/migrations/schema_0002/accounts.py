"""Bank accounts, the shared-account warnings and the record of unmasked reads (revision disbursement_0002)."""

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


def downgrade() -> None:
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
