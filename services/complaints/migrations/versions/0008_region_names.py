"""The gateway's region names as it delivered them (the kernel's revision, in this service's schema; issue 22).

Revision ID: complaints_0008
Revises: complaints_0007
Create Date: 2026-12-07
"""

from libs.kernel.migrations import region_names_revision

revision: str = "complaints_0008"
down_revision: str | None = "complaints_0007"
upgrade, downgrade = region_names_revision("complaints")
