"""Funding letters kept with their rosters and their numbering (the kernel's revision, in this schema; issue 22).

Revision ID: disbursement_0007
Revises: disbursement_0006
Create Date: 2026-12-07
"""

from libs.kernel.migrations import documents_revision

revision: str = "disbursement_0007"
down_revision: str | None = "disbursement_0006"
upgrade, downgrade = documents_revision("disbursement")
