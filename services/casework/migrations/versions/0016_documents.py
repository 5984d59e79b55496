"""Printed documents kept with their cases and their numbering (the kernel's revision, in this schema; issue 22).

Revision ID: casework_0016
Revises: casework_0015
Create Date: 2026-12-07
"""

from libs.kernel.migrations import documents_revision

revision: str = "casework_0016"
down_revision: str | None = "casework_0015"
upgrade, downgrade = documents_revision("casework")
