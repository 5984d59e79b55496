"""Applications, leads, provincial warnings, the recipient projection, procedure rules, the calendar.

Revision ID: intake_0002
Revises: intake_0001
Create Date: 2026-11-23
"""

import datetime

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from libs.modules.local_figures_seed import figures_table, seed_national
from libs.modules.work_calendar import create_calendar_years

revision: str = "intake_0002"
down_revision: str | None = "intake_0001"


def upgrade() -> None:
    op.create_table(
        "application_counters",
        sa.Column("county_code", sa.Text(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last_no", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("county_code", "year", name=op.f("pk_application_counters")),
        schema="intake",
    )
    op.create_table(
        "applications",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("application_no", sa.Text(), nullable=False),
        sa.Column("program", sa.Text(), nullable=False),
        sa.Column("region_code", sa.Text(), nullable=False),
        sa.Column("channel", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("emergency", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("lead_id", sa.Text(), nullable=True),
        sa.Column("applicant_hash", sa.Text(), nullable=False),
        sa.Column("applicant_name_masked", sa.Text(), nullable=False),
        sa.Column("member_count", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("close_relative_declared", sa.Boolean(), nullable=False),
        sa.Column("recused_users", postgresql.ARRAY(sa.Text()), server_default=sa.text("'{}'"), nullable=False),
        sa.Column("recused_names", postgresql.ARRAY(sa.Text()), server_default=sa.text("'{}'"), nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("accepted_by", sa.Text(), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("due_date_provisional", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("extended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("extension_reason", sa.Text(), nullable=True),
        sa.Column("returned_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("missing_items", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("withdrawal_reason", sa.Text(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_case_id", sa.Text(), nullable=True),
        sa.Column("decision_outcome", sa.Text(), nullable=True),
        sa.Column("decision_reasons", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("decision_effective_month", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_applications")),
        sa.UniqueConstraint("application_no", name=op.f("uq_applications_application_no")),
        schema="intake",
    )
    op.create_index("ix_applications_applicant_hash", "applications", ["applicant_hash"], unique=False, schema="intake")
    op.create_index("ix_applications_due_date_id", "applications", ["due_date", "id"], unique=False, schema="intake")
    op.create_index(
        "ix_applications_region_code_pattern",
        "applications",
        ["region_code"],
        unique=False,
        schema="intake",
        postgresql_ops={"region_code": "text_pattern_ops"},
    )
    op.create_index(
        "ix_applications_status_due_date_id",
        "applications",
        ["status", "due_date", "id"],
        unique=False,
        schema="intake",
    )
    create_calendar_years("intake")
    op.create_table(
        "leads",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("source_ref", sa.Text(), nullable=True),
        sa.Column("region_code", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("person_hash", sa.Text(), nullable=True),
        sa.Column("name_masked", sa.Text(), nullable=False),
        sa.Column("contact_sealed", sa.Text(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("due_date_provisional", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("application_id", sa.Text(), nullable=True),
        sa.Column("closed_reason", sa.Text(), nullable=True),
        sa.Column("closed_note", sa.Text(), nullable=True),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_by", sa.Text(), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_leads")),
        sa.UniqueConstraint("source", "source_ref", name="uq_leads_source_source_ref"),
        schema="intake",
    )
    op.create_index("ix_leads_due_date_id", "leads", ["due_date", "id"], unique=False, schema="intake")
    op.create_index(op.f("ix_leads_person_hash"), "leads", ["person_hash"], unique=False, schema="intake")
    op.create_index(
        "ix_leads_region_code_pattern",
        "leads",
        ["region_code"],
        unique=False,
        schema="intake",
        postgresql_ops={"region_code": "text_pattern_ops"},
    )
    op.create_index("ix_leads_status_due_date_id", "leads", ["status", "due_date", "id"], unique=False, schema="intake")
    op.create_table(
        "procedure_rules",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("region_prefix", sa.Text(), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("decision_days", sa.Integer(), nullable=False),
        sa.Column("extended_days", sa.Integer(), nullable=False),
        sa.Column("emergency_days", sa.Integer(), nullable=False),
        sa.Column("lead_days", sa.Integer(), nullable=False),
        sa.Column("high_age_min_years", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_procedure_rules")),
        sa.UniqueConstraint("region_prefix", "effective_from", name="uq_procedure_rules_prefix_from"),
        schema="intake",
    )
    op.create_table(
        "province_warnings",
        sa.Column("warning_id", sa.Text(), nullable=False),
        sa.Column("client", sa.Text(), nullable=False),
        sa.Column("request_hash", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("region_code", sa.Text(), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("response", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("warning_id", name=op.f("pk_province_warnings")),
        schema="intake",
    )
    op.create_table(
        "recipient_households",
        sa.Column("household_id", sa.Text(), nullable=False),
        sa.Column("region_code", sa.Text(), nullable=False),
        sa.Column("closed", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("members_as_of", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("household_id", name=op.f("pk_recipient_households")),
        schema="intake",
    )
    op.create_table(
        "application_history",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("application_id", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("actor_name", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), server_default="", nullable=False),
        sa.Column(
            "detail", postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["intake.applications.id"],
            name=op.f("fk_application_history_application_id_applications"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_application_history")),
        schema="intake",
    )
    op.create_index(
        op.f("ix_application_history_application_id"),
        "application_history",
        ["application_id"],
        unique=False,
        schema="intake",
    )
    op.create_table(
        "application_persons",
        sa.Column("application_id", sa.Text(), nullable=False),
        sa.Column("person_hash", sa.Text(), nullable=False),
        sa.Column("role", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["intake.applications.id"],
            name=op.f("fk_application_persons_application_id_applications"),
        ),
        sa.PrimaryKeyConstraint("application_id", "person_hash", "role", name=op.f("pk_application_persons")),
        schema="intake",
    )
    op.create_index(
        "ix_application_persons_person_hash", "application_persons", ["person_hash"], unique=False, schema="intake"
    )
    op.create_table(
        "application_versions",
        sa.Column("application_id", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("content_sealed", sa.Text(), nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["intake.applications.id"],
            name=op.f("fk_application_versions_application_id_applications"),
        ),
        sa.PrimaryKeyConstraint("application_id", "version", name=op.f("pk_application_versions")),
        schema="intake",
    )
    op.create_table(
        "recipient_members",
        sa.Column("household_id", sa.Text(), nullable=False),
        sa.Column("person_hash", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["intake.recipient_households.household_id"],
            name=op.f("fk_recipient_members_household_id_recipient_households"),
        ),
        sa.PrimaryKeyConstraint("household_id", "person_hash", name=op.f("pk_recipient_members")),
        schema="intake",
    )
    op.create_index(
        op.f("ix_recipient_members_person_hash"), "recipient_members", ["person_hash"], unique=False, schema="intake"
    )
    op.create_table(
        "recipient_programs",
        sa.Column("household_id", sa.Text(), nullable=False),
        sa.Column("program", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("as_of", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["intake.recipient_households.household_id"],
            name=op.f("fk_recipient_programs_household_id_recipient_households"),
        ),
        sa.PrimaryKeyConstraint("household_id", "program", name=op.f("pk_recipient_programs")),
        schema="intake",
    )
    # The national figures (seed 001 §4; DOMAIN.md §3.3): every region starts from them until it sets its own.
    seed_national(
        figures_table(
            "procedure_rules",
            sa.column("decision_days", sa.Integer()),
            sa.column("extended_days", sa.Integer()),
            sa.column("emergency_days", sa.Integer()),
            sa.column("lead_days", sa.Integer()),
            sa.column("high_age_min_years", sa.Integer()),
            schema="intake",
        ),
        [
            {
                "decision_days": 30,
                "extended_days": 45,
                "emergency_days": 3,
                "lead_days": 5,
                "high_age_min_years": 80,
            }
        ],
        datetime.datetime(2026, 11, 23, tzinfo=datetime.UTC),
    )


def downgrade() -> None:
    op.drop_table("recipient_programs", schema="intake")
    op.drop_index(op.f("ix_recipient_members_person_hash"), table_name="recipient_members", schema="intake")
    op.drop_table("recipient_members", schema="intake")
    op.drop_table("application_versions", schema="intake")
    op.drop_index("ix_application_persons_person_hash", table_name="application_persons", schema="intake")
    op.drop_table("application_persons", schema="intake")
    op.drop_index(op.f("ix_application_history_application_id"), table_name="application_history", schema="intake")
    op.drop_table("application_history", schema="intake")
    op.drop_table("recipient_households", schema="intake")
    op.drop_table("province_warnings", schema="intake")
    op.drop_table("procedure_rules", schema="intake")
    op.drop_index("ix_leads_status_due_date_id", table_name="leads", schema="intake")
    op.drop_index(
        "ix_leads_region_code_pattern",
        table_name="leads",
        schema="intake",
        postgresql_ops={"region_code": "text_pattern_ops"},
    )
    op.drop_index(op.f("ix_leads_person_hash"), table_name="leads", schema="intake")
    op.drop_index("ix_leads_due_date_id", table_name="leads", schema="intake")
    op.drop_table("leads", schema="intake")
    op.drop_table("calendar_years", schema="intake")
    op.drop_index("ix_applications_status_due_date_id", table_name="applications", schema="intake")
    op.drop_index(
        "ix_applications_region_code_pattern",
        table_name="applications",
        schema="intake",
        postgresql_ops={"region_code": "text_pattern_ops"},
    )
    op.drop_index("ix_applications_due_date_id", table_name="applications", schema="intake")
    op.drop_index("ix_applications_applicant_hash", table_name="applications", schema="intake")
    op.drop_table("applications", schema="intake")
    op.drop_table("application_counters", schema="intake")
