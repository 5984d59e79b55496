"""The entitlement ledger: county versions, entitlements with their periods and schedule, deaths, holds (revision disbursement_0002)."""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql


def upgrade() -> None:
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
