"""Casework's close-relative register as intake learns it (issue 21): a registered relative is refused on the
applications and leads of the relative's household, not only one declared on the application (DOMAIN.md §7).

Revision ID: intake_0003
Revises: intake_0002
Create Date: 2026-12-07
"""

import sqlalchemy as sa

from libs.modules.relatives_register import register_revision_v1

revision: str = "intake_0003"
down_revision: str | None = "intake_0002"
upgrade, downgrade = register_revision_v1("intake", "relative_hash", sa.Text())
