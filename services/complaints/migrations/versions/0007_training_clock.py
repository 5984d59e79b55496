"""The training clock's offset as the gateway delivered it (the kernel's revision, in this service's schema; issue 21).

Revision ID: complaints_0007
Revises: complaints_0006
Create Date: 2026-12-07
"""

from libs.kernel.migrations import training_clock_revision

revision: str = "complaints_0007"
down_revision: str | None = "complaints_0006"
upgrade, downgrade = training_clock_revision("complaints")
