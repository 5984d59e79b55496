"""Casework's close-relative register and its households' members as complaints learns them (issue 21): a staff
member filed as the relative of an item's person, or of a member of its household, may not handle the item
(DOMAIN.md §7).

Revision ID: complaints_0006
Revises: complaints_0005
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision: str = "complaints_0006"
down_revision: str | None = "complaints_0005"


def upgrade() -> None:
    op.create_table(
        "registered_relatives",
        sa.Column("filing_id", sa.Text(), nullable=False),
        sa.Column("staff_user", sa.Text(), nullable=True),
        sa.Column("staff_name", sa.Text(), nullable=False),
        sa.Column("relative_hash", sa.Text(), nullable=False),
        sa.Column("filed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("filing_id", name=op.f("pk_registered_relatives")),
        schema="complaints",
    )
    op.create_index(
        "ix_registered_relatives_relative_hash",
        "registered_relatives",
        ["relative_hash"],
        schema="complaints",
        postgresql_where="withdrawn_at IS NULL",
    )
    op.create_table(
        "known_households",
        sa.Column("household_id", sa.Text(), nullable=False),
        sa.Column("members_as_of", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("household_id", name=op.f("pk_known_households")),
        schema="complaints",
    )
    op.create_table(
        "known_members",
        sa.Column("household_id", sa.Text(), nullable=False),
        sa.Column("person_hash", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("household_id", "person_hash", name=op.f("pk_known_members")),
        schema="complaints",
    )
    op.create_index("ix_known_members_person_hash", "known_members", ["person_hash"], schema="complaints")


def downgrade() -> None:
    op.drop_index("ix_known_members_person_hash", table_name="known_members", schema="complaints")
    op.drop_table("known_members", schema="complaints")
    op.drop_table("known_households", schema="complaints")
    op.drop_index(
        "ix_registered_relatives_relative_hash",
        table_name="registered_relatives",
        schema="complaints",
        postgresql_where="withdrawn_at IS NULL",
    )
    op.drop_table("registered_relatives", schema="complaints")
