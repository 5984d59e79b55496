"""The recipient registry, cases, standards, the close-relative register, village reports, provincial pushes.

Revision ID: casework_0002
Revises: casework_0001
Create Date: 2026-11-23
"""

import datetime
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "casework_0002"
down_revision: str | None = "casework_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "calendar_years",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("schedule", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("loaded_by", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_calendar_years")),
        schema="casework",
    )
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
    op.create_table(
        "case_attachments",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("case_id", sa.Text(), nullable=False),
        sa.Column("filename", sa.Text(), nullable=False),
        sa.Column("content_type", sa.Text(), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.Text(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("uploaded_by", sa.Text(), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["casework.cases.id"], name=op.f("fk_case_attachments_case_id_cases")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_attachments")),
        schema="casework",
    )
    op.create_index(
        op.f("ix_case_attachments_case_id"), "case_attachments", ["case_id"], unique=False, schema="casework"
    )
    op.create_table(
        "case_history",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("case_id", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("actor_name", sa.Text(), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("status_from", sa.Text(), nullable=True),
        sa.Column("status_to", sa.Text(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["casework.cases.id"], name=op.f("fk_case_history_case_id_cases")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_history")),
        schema="casework",
    )
    op.create_index(op.f("ix_case_history_case_id"), "case_history", ["case_id"], unique=False, schema="casework")
    op.create_table(
        "case_investigations",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("case_id", sa.Text(), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("investigators", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("visited_on", sa.Date(), nullable=False),
        sa.Column("by_county", sa.Boolean(), nullable=False),
        sa.Column("content_sealed", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["casework.cases.id"], name=op.f("fk_case_investigations_case_id_cases")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_investigations")),
        sa.UniqueConstraint("case_id", "round", name="uq_case_investigations_case_round"),
        schema="casework",
    )
    op.create_index(
        op.f("ix_case_investigations_case_id"), "case_investigations", ["case_id"], unique=False, schema="casework"
    )
    op.create_table(
        "case_persons",
        sa.Column("case_id", sa.Text(), nullable=False),
        sa.Column("person_hash", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["casework.cases.id"], name=op.f("fk_case_persons_case_id_cases")),
        sa.PrimaryKeyConstraint("case_id", "person_hash", name=op.f("pk_case_persons")),
        schema="casework",
    )
    op.create_index(
        op.f("ix_case_persons_person_hash"), "case_persons", ["person_hash"], unique=False, schema="casework"
    )
    op.create_table(
        "case_verifications",
        sa.Column("verification_id", sa.Text(), nullable=False),
        sa.Column("case_id", sa.Text(), nullable=False),
        sa.Column("finding_count", sa.Integer(), nullable=False),
        sa.Column("findings_sealed", sa.Text(), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["casework.cases.id"], name=op.f("fk_case_verifications_case_id_cases")),
        sa.PrimaryKeyConstraint("verification_id", name=op.f("pk_case_verifications")),
        schema="casework",
    )
    op.create_index(
        op.f("ix_case_verifications_case_id"), "case_verifications", ["case_id"], unique=False, schema="casework"
    )
    op.create_table(
        "entitlements",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("household_id", sa.Text(), nullable=False),
        sa.Column("program", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("monthly_amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("effective_from", sa.Text(), nullable=False),
        sa.Column("effective_to", sa.Text(), nullable=True),
        sa.Column("beneficiary_hash", sa.Text(), nullable=True),
        sa.Column("schedule", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("case_id", sa.Text(), nullable=True),
        sa.Column("since", sa.Date(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"], ["casework.households.id"], name=op.f("fk_entitlements_household_id_households")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entitlements")),
        sa.UniqueConstraint("household_id", "program", name="uq_entitlements_household_program"),
        schema="casework",
    )
    op.create_table(
        "household_members",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("household_id", sa.Text(), nullable=False),
        sa.Column("person_hash", sa.Text(), nullable=False),
        sa.Column("id_number_sealed", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("relation", sa.Text(), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("details_sealed", sa.Text(), nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("left_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("left_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["household_id"], ["casework.households.id"], name=op.f("fk_household_members_household_id_households")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_household_members")),
        schema="casework",
    )
    op.create_index(
        "ix_household_members_household_id", "household_members", ["household_id"], unique=False, schema="casework"
    )
    op.create_index(
        "ix_household_members_person_hash", "household_members", ["person_hash"], unique=False, schema="casework"
    )
    op.create_table(
        "household_versions",
        sa.Column("household_id", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changes", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("case_id", sa.Text(), nullable=True),
        sa.Column("snapshot_sealed", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"], ["casework.households.id"], name=op.f("fk_household_versions_household_id_households")
        ),
        sa.PrimaryKeyConstraint("household_id", "version", name=op.f("pk_household_versions")),
        schema="casework",
    )
    op.create_table(
        "village_report_entries",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("report_id", sa.Text(), nullable=False),
        sa.Column("household_id", sa.Text(), nullable=False),
        sa.Column("changes", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("case_id", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["casework.village_reports.id"],
            name=op.f("fk_village_report_entries_report_id_village_reports"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_village_report_entries")),
        schema="casework",
    )
    op.create_index(
        op.f("ix_village_report_entries_report_id"),
        "village_report_entries",
        ["report_id"],
        unique=False,
        schema="casework",
    )
    # ### end Alembic commands ###
    # National figures (DOMAIN.md §3, §4, seed 000/001/002/004); money standards are local and have no national row.
    standards = sa.table(
        "standards",
        sa.column("region_prefix", sa.Text()),
        sa.column("effective_from", sa.Date()),
        sa.column("name", sa.Text()),
        sa.column("value", postgresql.JSONB()),
        sa.column("created_by", sa.Text()),
        sa.column("created_at", sa.DateTime(timezone=True)),
        schema="casework",
    )
    national = {
        "marginal_multiplier_pct": 150,
        "employment_cost_deduction_fen": 0,
        "gradual_exit_schedule_pct": [100, 100, 100, 100, 100, 100],
        "benefit_start_offset_months": 1,
        "publicity_days": 7,
        "confirmation_delegated": False,
        "review_months_a": 12,
        "review_months_b": 6,
        "review_months_c": 3,
        "review_months_monthly": 1,
        "review_months_quarterly": 3,
        "village_report_due_day": 20,
        "township_report_due_day": 25,
    }
    seeded_at = datetime.datetime(2026, 11, 23, tzinfo=datetime.UTC)
    op.bulk_insert(
        standards,
        [
            {
                "region_prefix": "",
                "effective_from": datetime.date(2000, 1, 1),
                "name": name,
                "value": value,
                "created_by": "migration",
                "created_at": seeded_at,
            }
            for name, value in national.items()
        ],
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_village_report_entries_report_id"), table_name="village_report_entries", schema="casework")
    op.drop_table("village_report_entries", schema="casework")
    op.drop_table("household_versions", schema="casework")
    op.drop_index("ix_household_members_person_hash", table_name="household_members", schema="casework")
    op.drop_index("ix_household_members_household_id", table_name="household_members", schema="casework")
    op.drop_table("household_members", schema="casework")
    op.drop_table("entitlements", schema="casework")
    op.drop_index(op.f("ix_case_verifications_case_id"), table_name="case_verifications", schema="casework")
    op.drop_table("case_verifications", schema="casework")
    op.drop_index(op.f("ix_case_persons_person_hash"), table_name="case_persons", schema="casework")
    op.drop_table("case_persons", schema="casework")
    op.drop_index(op.f("ix_case_investigations_case_id"), table_name="case_investigations", schema="casework")
    op.drop_table("case_investigations", schema="casework")
    op.drop_index(op.f("ix_case_history_case_id"), table_name="case_history", schema="casework")
    op.drop_table("case_history", schema="casework")
    op.drop_index(op.f("ix_case_attachments_case_id"), table_name="case_attachments", schema="casework")
    op.drop_table("case_attachments", schema="casework")
    op.drop_index("ix_village_reports_period_village", table_name="village_reports", schema="casework")
    op.drop_table("village_reports", schema="casework")
    op.drop_table("standards", schema="casework")
    op.drop_index("ix_staff_relatives_staff_region", table_name="staff_relatives", schema="casework")
    op.drop_index(
        "ix_staff_relatives_relative_hash",
        table_name="staff_relatives",
        schema="casework",
        postgresql_where="withdrawn_at IS NULL",
    )
    op.drop_table("staff_relatives", schema="casework")
    op.drop_index("ix_recusals_subject", table_name="recusals", schema="casework")
    op.drop_table("recusals", schema="casework")
    op.drop_index(
        "ix_province_changes_pending",
        table_name="province_changes",
        schema="casework",
        postgresql_where="delivered_at IS NULL",
    )
    op.drop_index("ix_province_changes_household", table_name="province_changes", schema="casework")
    op.drop_table("province_changes", schema="casework")
    op.drop_table("pending_application_events", schema="casework")
    op.drop_index("ix_households_updated", table_name="households", schema="casework")
    op.drop_index("ix_households_region_code", table_name="households", schema="casework")
    op.drop_index(
        "ix_households_next_review", table_name="households", schema="casework", postgresql_where="status = 'active'"
    )
    op.drop_table("households", schema="casework")
    op.drop_index("ix_cases_region_status_due", table_name="cases", schema="casework")
    op.drop_index("ix_cases_household_id", table_name="cases", schema="casework")
    op.drop_index("ix_cases_application_id", table_name="cases", schema="casework")
    op.drop_table("cases", schema="casework")
    op.drop_table("calendar_years", schema="casework")
    # ### end Alembic commands ###
