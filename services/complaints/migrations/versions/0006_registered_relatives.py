"""Casework's close-relative register and its households' members as complaints learns them (issue 21): a staff
member filed as the relative of an item's person, or of a member of its household, may not handle the item
(DOMAIN.md §7).

Revision ID: complaints_0006
Revises: complaints_0005
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

from libs.modules.relatives_register import create_register_table_v1, drop_register_table_v1

revision: str = "complaints_0006"
down_revision: str | None = "complaints_0005"


def upgrade() -> None:
    create_register_table_v1("complaints", "relative_hash", sa.Text())
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
    drop_register_table_v1("complaints", "relative_hash")
