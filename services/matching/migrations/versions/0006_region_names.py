"""The gateway's region names as it delivered them (the kernel's revision, in this service's schema; issue 22).

Revision ID: matching_0006
Revises: matching_0005
Create Date: 2026-12-07
"""

from libs.kernel.migrations import region_names_revision

revision: str = "matching_0006"
down_revision: str | None = "matching_0005"
upgrade, downgrade = region_names_revision("matching")
