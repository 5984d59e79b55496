"""Staff search the registry by a current member's full name (户籍查询, issue 19): an index on the name.

Revision ID: casework_0004
Revises: casework_0003
Create Date: 2026-12-07
"""

from libs.kernel.migrations import index_revision

revision: str = "casework_0004"
down_revision: str | None = "casework_0003"
# Current members only: those who have not left the household.
upgrade, downgrade = index_revision(
    "casework", "household_members", "ix_household_members_name", ["name", "household_id"], where="left_at IS NULL"
)
