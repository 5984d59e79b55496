"""The inbox indexed by when a row was received, for pruning past the retention (the kernel's revision; issue 23).

Revision ID: complaints_0009
Revises: complaints_0008
Create Date: 2026-12-07
"""

from libs.kernel.migrations import inbox_pruning_revision

revision: str = "complaints_0009"
down_revision: str | None = "complaints_0008"
upgrade, downgrade = inbox_pruning_revision("complaints")
