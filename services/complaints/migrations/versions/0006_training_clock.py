"""The training clock's offset as the gateway delivered it (the kernel's revision, in this service's schema; issue 21).

Revision ID: complaints_0006
Revises: complaints_0005
Create Date: 2026-12-07
"""

from libs.kernel.migrations import training_clock_revision

revision: str = "complaints_0006"
down_revision: str | None = "complaints_0005"
upgrade, downgrade = training_clock_revision("complaints")
