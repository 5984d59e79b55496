"""Reviews opened ahead of birthdays (issue 21): the age job reads current members by birth date, a page at a time.

Revision ID: casework_0007
Revises: casework_0006
Create Date: 2026-12-07
"""

from libs.kernel.migrations import index_revision

revision: str = "casework_0007"
down_revision: str | None = "casework_0006"
# Current members only: those who have not left the household.
upgrade, downgrade = index_revision(
    "casework", "household_members", "ix_household_members_birth_date", ["birth_date", "id"], where="left_at IS NULL"
)
