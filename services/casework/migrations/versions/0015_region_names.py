"""The gateway's region names as it delivered them (the kernel's revision, in this service's schema; issue 22).

Revision ID: casework_0015
Revises: casework_0014
Create Date: 2026-12-07
"""

from libs.kernel.migrations import region_names_revision

revision: str = "casework_0015"
down_revision: str | None = "casework_0014"
upgrade, downgrade = region_names_revision("casework")
