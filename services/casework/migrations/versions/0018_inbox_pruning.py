"""The inbox indexed by when a row was received, for pruning past the retention (the kernel's revision; issue 23).

Revision ID: casework_0018
Revises: casework_0017
Create Date: 2026-12-07
"""

from libs.kernel.migrations import inbox_pruning_revision

revision: str = "casework_0018"
down_revision: str | None = "casework_0017"
upgrade, downgrade = inbox_pruning_revision("casework")
