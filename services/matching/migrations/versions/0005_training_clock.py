"""The training clock's offset as the gateway delivered it (the kernel's revision, in this service's schema; issue 21).

Revision ID: matching_0005
Revises: matching_0004
Create Date: 2026-12-07
"""

from libs.kernel.migrations import training_clock_revision

revision: str = "matching_0005"
down_revision: str | None = "matching_0004"
upgrade, downgrade = training_clock_revision("matching")
