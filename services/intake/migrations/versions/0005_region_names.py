"""The gateway's region names as it delivered them (the kernel's revision, in this service's schema; issue 22).

Revision ID: intake_0005
Revises: intake_0004
Create Date: 2026-12-07
"""

from libs.kernel.migrations import region_names_revision

revision: str = "intake_0005"
down_revision: str | None = "intake_0004"
upgrade, downgrade = region_names_revision("intake")
