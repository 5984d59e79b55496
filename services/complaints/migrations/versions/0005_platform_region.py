"""Hotline platforms carry their client's region (issue 17): only a system administrator whose jurisdiction covers
it reads or changes the callback. The gateway tells it when it registers a new client; rows registered before have
none and are the whole country's administrator's until they are given one.

Revision ID: complaints_0005
Revises: complaints_0004
Create Date: 2026-12-12
"""

import sqlalchemy as sa
from alembic import op

revision: str = "complaints_0005"
down_revision: str | None = "complaints_0004"


def upgrade() -> None:
    op.add_column("hotline_platforms", sa.Column("region_code", sa.Text(), nullable=True), schema="complaints")


def downgrade() -> None:
    op.drop_column("hotline_platforms", "region_code", schema="complaints")
