"""What a filing in the close-relative register means for cases (DOMAIN.md §3.5, §7): the relative's open cases go
to a county investigation and the staff member is recused from them.

The register itself (relatives/) knows households, not cases; this is the one place the two meet.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from libs.kernel.auth import Principal
from services.casework.case import repository
from services.casework.context import Casework
from services.casework.relatives import service as relatives
from services.casework.relatives.models import StaffRelative
from services.casework.relatives.schemas import FilingIn


async def file(session: AsyncSession, ctx: Casework, who: Principal, body: FilingIn) -> StaffRelative:
    """Register the relation, flag the relative's households, then their open cases."""
    filing = await relatives.file(session, ctx, who, body)
    case_ids = await repository.open_cases_of(session, filing.relative_hash)
    if case_ids:
        await repository.mark_close_relative(session, case_ids)
        await relatives.recuse(session, ctx, "case", case_ids, [filing])
    return filing
