"""Staff search the registry by a current member's full name (户籍查询, issue 19): an index on the name.

Revision ID: casework_0004
Revises: casework_0003
Create Date: 2026-12-07
"""

from alembic import op

revision: str = "casework_0004"
down_revision: str | None = "casework_0003"


def upgrade() -> None:
    op.create_index(
        "ix_household_members_name",
        "household_members",
        ["name", "household_id"],
        schema="casework",
        postgresql_where="left_at IS NULL",
    )


def downgrade() -> None:
    op.drop_index(
        "ix_household_members_name",
        table_name="household_members",
        schema="casework",
        postgresql_where="left_at IS NULL",
    )
