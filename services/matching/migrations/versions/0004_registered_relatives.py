"""Casework's close-relative register as matching learns it (issue 21): a staff member filed as the relative of a
member of a hit's household may not confirm or dismiss the hit (DOMAIN.md §7).

Revision ID: matching_0004
Revises: matching_0003
Create Date: 2026-12-07
"""

import sqlalchemy as sa

from libs.modules.relatives_register import register_revision_v1

revision: str = "matching_0004"
down_revision: str | None = "matching_0003"
upgrade, downgrade = register_revision_v1("matching", "relative", sa.UUID())
