"""The province's push reads the registry's versions: each queued change names the version it carries.

Revision ID: casework_0003
Revises: casework_0002
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision: str = "casework_0003"
down_revision: str | None = "casework_0002"


def upgrade() -> None:
    op.add_column("province_changes", sa.Column("household_version", sa.Integer(), nullable=True), schema="casework")
    op.create_unique_constraint(
        op.f("uq_province_changes_household_version"),
        "province_changes",
        ["household_id", "household_version"],
        schema="casework",
    )
    # Until now every version was queued as it was recorded: the latest change queued for a household stands for its
    # current version, so the feed starts after it and nothing already queued is queued again.
    op.execute(
        """
        UPDATE casework.province_changes AS pc SET household_version = h.version
        FROM casework.households AS h
        WHERE h.id = pc.household_id
          AND pc.id = (SELECT max(p2.id) FROM casework.province_changes AS p2 WHERE p2.household_id = pc.household_id)
        """
    )


def downgrade() -> None:
    op.drop_constraint(
        op.f("uq_province_changes_household_version"), "province_changes", schema="casework", type_="unique"
    )
    op.drop_column("province_changes", "household_version", schema="casework")
