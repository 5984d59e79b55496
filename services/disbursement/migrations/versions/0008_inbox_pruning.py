"""The inbox indexed by when a row was received, for pruning past the retention (the kernel's revision; issue 23).

Revision ID: disbursement_0008
Revises: disbursement_0007
Create Date: 2026-12-07
"""

from libs.kernel.migrations import inbox_pruning_revision

revision: str = "disbursement_0008"
down_revision: str | None = "disbursement_0007"
upgrade, downgrade = inbox_pruning_revision("disbursement")
