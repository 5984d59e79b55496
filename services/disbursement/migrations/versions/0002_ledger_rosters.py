"""The entitlement ledger (entitlements, their periods and months, deaths, holds), bank accounts with the
shared-account warnings and the audit of unmasked reads, rosters with their lines, items and sealed exports, one-off
batches, and recovery orders.

Revision ID: disbursement_0002
Revises: disbursement_0001
Create Date: 2026-11-23
"""

from collections.abc import Sequence

from services.disbursement.migrations.schema_0002 import accounts, ledger, recoveries, rosters

revision: str = "disbursement_0002"
down_revision: str | None = "disbursement_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# No table refers to another by a foreign key, so the parts are created in any order; dropped in reverse.
PARTS = (accounts, ledger, rosters, recoveries)


def upgrade() -> None:
    for part in PARTS:
        part.upgrade()


def downgrade() -> None:
    for part in reversed(PARTS):
        part.downgrade()
