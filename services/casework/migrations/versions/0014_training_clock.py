"""The training clock's offset as the gateway delivered it (the kernel's revision, in this service's schema; issue 21).

Revision ID: casework_0014
Revises: casework_0013
Create Date: 2026-12-07
"""

from libs.kernel.migrations import training_clock_revision

revision: str = "casework_0014"
down_revision: str | None = "casework_0013"
upgrade, downgrade = training_clock_revision("casework")
