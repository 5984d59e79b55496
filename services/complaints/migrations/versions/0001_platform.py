"""Platform tables: outbox, inbox, dead letters, probe receipts.

Revision ID: complaints_0001
Revises:
Create Date: 2026-11-23
"""

from collections.abc import Sequence

from alembic import op

from libs.kernel.migrations import create_messaging_tables_v1, drop_messaging_tables_v1

revision: str = "complaints_0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_messaging_tables_v1(op.get_bind(), "complaints")


def downgrade() -> None:
    drop_messaging_tables_v1(op.get_bind(), "complaints")
