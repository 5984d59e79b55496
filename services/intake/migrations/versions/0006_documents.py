"""Printed notices kept with their applications and their numbering (the kernel's revision, in this schema; issue 22).

Revision ID: intake_0006
Revises: intake_0005
Create Date: 2026-12-07
"""

from libs.kernel.migrations import documents_revision

revision: str = "intake_0006"
down_revision: str | None = "intake_0005"
upgrade, downgrade = documents_revision("intake")
