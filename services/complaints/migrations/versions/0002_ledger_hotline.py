"""The complaint ledger (items, status history, investigation notes, contact reads), 12345 work orders as received,
local complaint figures with the national default, hotline platforms' callbacks, result deliveries and their attempts,
and the working-day calendar.

Revision ID: complaints_0002
Revises: complaints_0001
Create Date: 2026-11-23
"""

import datetime

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from libs.modules.local_figures_seed import figures_table, seed_national
from libs.modules.work_calendar import create_calendar_years

revision: str = "complaints_0002"
down_revision: str | None = "complaints_0001"


def upgrade() -> None:
    create_calendar_years("complaints")
    op.create_table(
        "complaints",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("work_order_no", sa.Text(), nullable=True),
        sa.Column("client_id", sa.Text(), nullable=True),
        sa.Column("channel", sa.Text(), nullable=False),
        sa.Column("category", sa.Text(), nullable=False),
        sa.Column("issue", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("region_code", sa.Text(), nullable=False),
        sa.Column("assigned_unit", sa.Text(), nullable=False),
        sa.Column("assigned_to", sa.Text(), nullable=True),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("caller_name", sa.Text(), nullable=True),
        sa.Column("caller_phone_sealed", sa.Text(), nullable=True),
        sa.Column("caller_phone_hash", sa.Text(), nullable=True),
        sa.Column("caller_id_sealed", sa.Text(), nullable=True),
        sa.Column("caller_id_hash", sa.Text(), nullable=True),
        sa.Column("caller_address", sa.Text(), nullable=True),
        sa.Column("subject_kind", sa.Text(), nullable=True),
        sa.Column("subject_name", sa.Text(), nullable=True),
        sa.Column("subject_id_sealed", sa.Text(), nullable=True),
        sa.Column("subject_id_hash", sa.Text(), nullable=True),
        sa.Column("subject_household_id", sa.Text(), nullable=True),
        sa.Column("subject_address", sa.Text(), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_source", sa.Text(), nullable=False),
        sa.Column("due_provisional", sa.Boolean(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("finding", sa.Text(), nullable=True),
        sa.Column("reply", sa.Text(), nullable=True),
        sa.Column("handled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("handled_by", sa.Text(), nullable=True),
        sa.Column("handler_unit", sa.Text(), nullable=True),
        sa.Column("feedback_text", sa.Text(), nullable=True),
        sa.Column("feedback_method", sa.Text(), nullable=True),
        sa.Column("feedback_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("feedback_by", sa.Text(), nullable=True),
        sa.Column("supervision_referred", sa.Boolean(), nullable=False),
        sa.Column("repeat_of", sa.Text(), nullable=True),
        sa.Column("repeat_reason", sa.Text(), nullable=True),
        sa.Column("petition_id", sa.Text(), nullable=False),
        sa.Column("satisfaction", sa.Text(), nullable=True),
        sa.Column("satisfaction_note", sa.Text(), nullable=True),
        sa.Column("satisfaction_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaints")),
        sa.UniqueConstraint("work_order_no", name=op.f("uq_complaints_work_order_no")),
        schema="complaints",
    )
    op.create_index(
        "ix_complaints_caller_id", "complaints", ["caller_id_hash", "received_at"], unique=False, schema="complaints"
    )
    op.create_index(
        "ix_complaints_caller_phone",
        "complaints",
        ["caller_phone_hash", "received_at"],
        unique=False,
        schema="complaints",
    )
    op.create_index(
        "ix_complaints_open_due",
        "complaints",
        ["due_at"],
        unique=False,
        schema="complaints",
        postgresql_where="status IN ('received', 'assigned', 'investigating')",
    )
    op.create_index(
        "ix_complaints_petition", "complaints", ["petition_id", "received_at"], unique=False, schema="complaints"
    )
    op.create_index(
        "ix_complaints_region", "complaints", ["region_code", "received_at"], unique=False, schema="complaints"
    )
    op.create_index(
        "ix_complaints_subject_household",
        "complaints",
        ["subject_household_id", "received_at"],
        unique=False,
        schema="complaints",
    )
    op.create_index(
        "ix_complaints_subject_id", "complaints", ["subject_id_hash", "received_at"], unique=False, schema="complaints"
    )
    op.create_table(
        "hotline_platforms",
        sa.Column("client_id", sa.Text(), nullable=False),
        sa.Column("callback_url", sa.Text(), nullable=False),
        sa.Column("secret_sealed", sa.Text(), nullable=False),
        sa.Column("updated_by", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("client_id", name=op.f("pk_hotline_platforms")),
        schema="complaints",
    )
    op.create_table(
        "policies",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("region_prefix", sa.Text(), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("reply_days", sa.Integer(), nullable=False),
        sa.Column("repeat_window_days", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_policies")),
        sa.UniqueConstraint("region_prefix", "effective_from", name="uq_policies_prefix_from"),
        schema="complaints",
    )
    op.create_table(
        "work_orders",
        sa.Column("work_order_no", sa.Text(), nullable=False),
        sa.Column("client_id", sa.Text(), nullable=False),
        sa.Column("request_hash", sa.Text(), nullable=False),
        sa.Column("complaint_id", sa.Text(), nullable=True),
        sa.Column("response", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("payload_sealed", sa.LargeBinary(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("work_order_no", name=op.f("pk_work_orders")),
        schema="complaints",
    )
    op.create_table(
        "contact_reads",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("complaint_id", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["complaint_id"], ["complaints.complaints.id"], name=op.f("fk_contact_reads_complaint_id_complaints")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact_reads")),
        schema="complaints",
    )
    op.create_table(
        "investigation_notes",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("complaint_id", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("visited_on", sa.Date(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("by", sa.Text(), nullable=False),
        sa.Column("by_name", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["complaint_id"], ["complaints.complaints.id"], name=op.f("fk_investigation_notes_complaint_id_complaints")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_investigation_notes")),
        schema="complaints",
    )
    op.create_index(
        "ix_investigation_notes_complaint",
        "investigation_notes",
        ["complaint_id", "id"],
        unique=False,
        schema="complaints",
    )
    op.create_table(
        "result_deliveries",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("complaint_id", sa.Text(), nullable=False),
        sa.Column("work_order_no", sa.Text(), nullable=False),
        sa.Column("client_id", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("body_sealed", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["complaint_id"], ["complaints.complaints.id"], name=op.f("fk_result_deliveries_complaint_id_complaints")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_result_deliveries")),
        schema="complaints",
    )
    op.create_index(
        "ix_result_deliveries_pending",
        "result_deliveries",
        ["next_attempt_at", "id"],
        unique=False,
        schema="complaints",
        postgresql_where="delivered_at IS NULL",
    )
    op.create_index(
        "ix_result_deliveries_work_order",
        "result_deliveries",
        ["work_order_no", "created_at"],
        unique=False,
        schema="complaints",
    )
    op.create_table(
        "status_changes",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("complaint_id", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("by", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["complaint_id"], ["complaints.complaints.id"], name=op.f("fk_status_changes_complaint_id_complaints")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_status_changes")),
        schema="complaints",
    )
    op.create_index(
        "ix_status_changes_complaint", "status_changes", ["complaint_id", "id"], unique=False, schema="complaints"
    )
    op.create_table(
        "delivery_attempts",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("delivery_id", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("http_status", sa.Integer(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("duration_ms", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["delivery_id"],
            ["complaints.result_deliveries.id"],
            name=op.f("fk_delivery_attempts_delivery_id_result_deliveries"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delivery_attempts")),
        schema="complaints",
    )
    op.create_index(
        "ix_delivery_attempts_delivery", "delivery_attempts", ["delivery_id", "id"], unique=False, schema="complaints"
    )
    # ### end Alembic commands ###

    # The national figures (DOMAIN.md §6: 5 working days by default): every region starts from them until it sets
    # its own.
    seed_national(
        figures_table(
            "policies",
            sa.column("reply_days", sa.Integer()),
            sa.column("repeat_window_days", sa.Integer()),
            schema="complaints",
        ),
        [{"reply_days": 5, "repeat_window_days": 90}],
        datetime.datetime(2026, 11, 23, tzinfo=datetime.UTC),
    )


def downgrade() -> None:
    op.drop_index("ix_delivery_attempts_delivery", table_name="delivery_attempts", schema="complaints")
    op.drop_table("delivery_attempts", schema="complaints")
    op.drop_index("ix_status_changes_complaint", table_name="status_changes", schema="complaints")
    op.drop_table("status_changes", schema="complaints")
    op.drop_index("ix_result_deliveries_work_order", table_name="result_deliveries", schema="complaints")
    op.drop_index(
        "ix_result_deliveries_pending",
        table_name="result_deliveries",
        schema="complaints",
        postgresql_where="delivered_at IS NULL",
    )
    op.drop_table("result_deliveries", schema="complaints")
    op.drop_index("ix_investigation_notes_complaint", table_name="investigation_notes", schema="complaints")
    op.drop_table("investigation_notes", schema="complaints")
    op.drop_table("contact_reads", schema="complaints")
    op.drop_table("work_orders", schema="complaints")
    op.drop_table("policies", schema="complaints")
    op.drop_table("hotline_platforms", schema="complaints")
    op.drop_index("ix_complaints_subject_id", table_name="complaints", schema="complaints")
    op.drop_index("ix_complaints_subject_household", table_name="complaints", schema="complaints")
    op.drop_index("ix_complaints_region", table_name="complaints", schema="complaints")
    op.drop_index("ix_complaints_petition", table_name="complaints", schema="complaints")
    op.drop_index(
        "ix_complaints_open_due",
        table_name="complaints",
        schema="complaints",
        postgresql_where="status IN ('received', 'assigned', 'investigating')",
    )
    op.drop_index("ix_complaints_caller_phone", table_name="complaints", schema="complaints")
    op.drop_index("ix_complaints_caller_id", table_name="complaints", schema="complaints")
    op.drop_table("complaints", schema="complaints")
    op.drop_table("calendar_years", schema="complaints")
    # ### end Alembic commands ###
