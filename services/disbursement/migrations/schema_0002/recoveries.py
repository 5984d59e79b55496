"""Recovery orders, their months and the money collected on them (revision disbursement_0002)."""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql


def upgrade() -> None:
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


def downgrade() -> None:
    op.drop_index(op.f("ix_recovery_months_entitlement_id"), table_name="recovery_months", schema="disbursement")
    op.drop_table("recovery_months", schema="disbursement")
    op.drop_index(op.f("ix_recovery_collections_recovery_id"), table_name="recovery_collections", schema="disbursement")
    op.drop_table("recovery_collections", schema="disbursement")
    op.drop_index(op.f("ix_recoveries_household_id"), table_name="recoveries", schema="disbursement")
    op.drop_index(op.f("ix_recoveries_entitlement_id"), table_name="recoveries", schema="disbursement")
    op.drop_index(op.f("ix_recoveries_county_code_status_detected_at"), table_name="recoveries", schema="disbursement")
    op.drop_table("recoveries", schema="disbursement")
