"""The recipient registry, cases, standards, the close-relative register, village reports, provincial pushes.

Revision ID: casework_0002
Revises: casework_0001
Create Date: 2026-11-23
"""

from alembic import op

from services.casework.migrations.registry_cases import dependent_tables, independent_tables, national_figures

revision: str = "casework_0002"
down_revision: str | None = "casework_0001"


def upgrade() -> None:
    independent_tables.create()
    dependent_tables.create()
    national_figures.create()


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
