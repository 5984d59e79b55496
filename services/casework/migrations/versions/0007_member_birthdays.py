"""Reviews opened ahead of birthdays (issue 21): the age job reads current members by birth date, a page at a time.

Revision ID: casework_0007
Revises: casework_0006
Create Date: 2026-12-07
"""

from alembic import op

revision: str = "casework_0007"
down_revision: str | None = "casework_0006"


def upgrade() -> None:
    op.create_index(
        "ix_household_members_birth_date",
        "household_members",
        ["birth_date", "id"],
        schema="casework",
        postgresql_where="left_at IS NULL",
    )


def downgrade() -> None:
    op.drop_index(
        "ix_household_members_birth_date",
        table_name="household_members",
        schema="casework",
        postgresql_where="left_at IS NULL",
    )
