"""The household versions the province's feed has not taken yet, marked and indexed (issue 23): each run of the push
job looked at every version ever recorded (a scan with a look-up per row) to find the few new ones.

Versions already behind a queued change of their household are marked taken as of the migration.

Revision ID: casework_0019
Revises: casework_0018
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision: str = "casework_0019"
down_revision: str | None = "casework_0018"


def upgrade() -> None:
    op.add_column("household_versions", sa.Column("queued_at", sa.DateTime(timezone=True)), schema="casework")
    op.execute(
        """
        UPDATE casework.household_versions v SET queued_at = now()
         WHERE EXISTS (SELECT 1 FROM casework.province_changes c
                        WHERE c.household_id = v.household_id AND c.household_version >= v.version)
        """
    )
    op.create_index(
        "ix_household_versions_unqueued",
        "household_versions",
        ["recorded_at", "household_id", "version"],
        schema="casework",
        postgresql_where=sa.text("queued_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_household_versions_unqueued", table_name="household_versions", schema="casework")
    op.drop_column("household_versions", "queued_at", schema="casework")
