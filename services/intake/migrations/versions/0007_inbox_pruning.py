"""The inbox indexed by when a row was received, for pruning past the retention (the kernel's revision; issue 23).

Revision ID: intake_0007
Revises: intake_0006
Create Date: 2026-12-07
"""

from libs.kernel.migrations import inbox_pruning_revision

revision: str = "intake_0007"
down_revision: str | None = "intake_0006"
upgrade, downgrade = inbox_pruning_revision("intake")
