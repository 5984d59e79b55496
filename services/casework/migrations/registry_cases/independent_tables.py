"""casework_0002, first part: the tables that reference no other (cases, households, the register, standards,
village reports, the province's queue)."""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from libs.modules.work_calendar import create_calendar_years


def create() -> None:
    create_calendar_years("casework")
    op.create_table(
        "cases",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("trigger", sa.Text(), nullable=False),
        sa.Column("trigger_ref", sa.Text(), nullable=False),
        sa.Column("household_id", sa.Text(), nullable=True),
        sa.Column("application_id", sa.Text(), nullable=True),
        sa.Column("application_no", sa.Text(), nullable=True),
        sa.Column("program", sa.Text(), nullable=False),
        sa.Column("region_code", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("applicant_name_masked", sa.Text(), nullable=False),
        sa.Column("member_count", sa.Integer(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("due_date_provisional", sa.Boolean(), nullable=False),
        sa.Column("emergency", sa.Boolean(), nullable=False),
        sa.Column("close_relative_declared", sa.Boolean(), nullable=False),
        sa.Column("close_relative_detected", sa.Boolean(), nullable=False),
        sa.Column("county_investigation", sa.Boolean(), nullable=False),
        sa.Column("content_sealed", sa.Text(), nullable=False),
        sa.Column("trigger_summary", sa.Text(), nullable=False),
        sa.Column("proposed_outcome", sa.Text(), nullable=True),
        sa.Column("proposed_amount_fen", sa.BigInteger(), nullable=True),
        sa.Column("proposal", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("publicity_started_on", sa.Date(), nullable=True),
        sa.Column("publicity_ends_on", sa.Date(), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.Column("reasons", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("effective_month", sa.Text(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases")),
        sa.UniqueConstraint("trigger", "trigger_ref", name="uq_cases_trigger_ref"),
        schema="casework",
    )
    op.create_index("ix_cases_application_id", "cases", ["application_id"], unique=False, schema="casework")
    op.create_index("ix_cases_household_id", "cases", ["household_id"], unique=False, schema="casework")
    op.create_index(
        "ix_cases_region_status_due", "cases", ["region_code", "status", "due_date"], unique=False, schema="casework"
    )
    op.create_table(
        "households",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("region_code", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("head_hash", sa.Text(), nullable=True),
        sa.Column("review_class", sa.Text(), nullable=False),
        sa.Column("next_review_date", sa.Date(), nullable=True),
        sa.Column("close_relative", sa.Boolean(), nullable=False),
        sa.Column("predecessor_id", sa.Text(), nullable=True),
        sa.Column("successor_id", sa.Text(), nullable=True),
        sa.Column("bank_code", sa.Text(), nullable=True),
        sa.Column("account_holder", sa.Text(), nullable=True),
        sa.Column("account_no_masked", sa.Text(), nullable=True),
        sa.Column("account_no_sealed", sa.Text(), nullable=True),
        sa.Column("bank_account_ref", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_reason", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_households")),
        schema="casework",
    )
    op.create_index(
        "ix_households_next_review",
        "households",
        ["next_review_date"],
        unique=False,
        schema="casework",
        postgresql_where="status = 'active'",
    )
    op.create_index("ix_households_region_code", "households", ["region_code", "id"], unique=False, schema="casework")
    op.create_index("ix_households_updated", "households", ["updated_at", "id"], unique=False, schema="casework")
    op.create_table(
        "pending_application_events",
        sa.Column("application_id", sa.Text(), nullable=False),
        sa.Column("event_type", sa.Text(), nullable=False),
        sa.Column("payload_sealed", sa.Text(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("application_id", "event_type", name=op.f("pk_pending_application_events")),
        schema="casework",
    )
    op.create_table(
        "province_changes",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("household_id", sa.Text(), nullable=False),
        sa.Column("item_sealed", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_province_changes")),
        schema="casework",
    )
    op.create_index(
        "ix_province_changes_household", "province_changes", ["household_id", "id"], unique=False, schema="casework"
    )
    op.create_index(
        "ix_province_changes_pending",
        "province_changes",
        ["next_attempt_at", "id"],
        unique=False,
        schema="casework",
        postgresql_where="delivered_at IS NULL",
    )
    op.create_table(
        "recusals",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("subject_kind", sa.Text(), nullable=False),
        sa.Column("subject_id", sa.Text(), nullable=False),
        sa.Column("staff_user", sa.Text(), nullable=True),
        sa.Column("staff_name", sa.Text(), nullable=False),
        sa.Column("relation", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recusals")),
        sa.UniqueConstraint("subject_kind", "subject_id", "staff_name", "relation", name="uq_recusals_subject_staff"),
        schema="casework",
    )
    op.create_index("ix_recusals_subject", "recusals", ["subject_kind", "subject_id"], unique=False, schema="casework")
    op.create_table(
        "staff_relatives",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("staff_user", sa.Text(), nullable=True),
        sa.Column("staff_name", sa.Text(), nullable=False),
        sa.Column("staff_unit", sa.Text(), nullable=False),
        sa.Column("staff_region", sa.Text(), nullable=False),
        sa.Column("relative_hash", sa.Text(), nullable=False),
        sa.Column("relative_id_sealed", sa.Text(), nullable=False),
        sa.Column("relative_name", sa.Text(), nullable=False),
        sa.Column("relation", sa.Text(), nullable=False),
        sa.Column("filed_by", sa.Text(), nullable=False),
        sa.Column("filed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_reason", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_relatives")),
        schema="casework",
    )
    op.create_index(
        "ix_staff_relatives_relative_hash",
        "staff_relatives",
        ["relative_hash"],
        unique=False,
        schema="casework",
        postgresql_where="withdrawn_at IS NULL",
    )
    op.create_index(
        "ix_staff_relatives_staff_region", "staff_relatives", ["staff_region", "id"], unique=False, schema="casework"
    )
    op.create_table(
        "standards",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("region_prefix", sa.Text(), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("value", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_standards")),
        sa.UniqueConstraint("region_prefix", "effective_from", "name", name="uq_standards_prefix_from_name"),
        schema="casework",
    )
    op.create_table(
        "village_reports",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("village_code", sa.Text(), nullable=False),
        sa.Column("period", sa.Text(), nullable=False),
        sa.Column("zero_report", sa.Boolean(), nullable=False),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("filed_by", sa.Text(), nullable=False),
        sa.Column("filed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("forwarded_by", sa.Text(), nullable=True),
        sa.Column("forwarded_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_village_reports")),
        sa.UniqueConstraint("village_code", "period", name="uq_village_reports_village_period"),
        schema="casework",
    )
    op.create_index(
        "ix_village_reports_period_village",
        "village_reports",
        ["period", "village_code"],
        unique=False,
        schema="casework",
    )
