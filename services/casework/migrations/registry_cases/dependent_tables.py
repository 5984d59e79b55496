"""casework_0002, second part: the tables that reference a case, a household or a village report."""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql


def create() -> None:
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
