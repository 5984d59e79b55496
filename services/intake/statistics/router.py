"""`GET /api/v1/intake/statistics`: intake's figures of a month for a region and each region below it."""

from __future__ import annotations

from fastapi import APIRouter

from libs.contracts.statistics import MonthlyFigures
from libs.contracts.statistics.intake import LABELS
from libs.kernel.db import DbSession
from libs.modules.figures_by_region import STATISTICS_ERRORS, MonthQuery, RegionQuery, monthly_figures, window_of
from services.intake.context import IntakeCtx
from services.intake.db import tables
from services.intake.dependencies import Reader
from services.intake.statistics.figures import intake_counts

router = APIRouter(prefix="/api/v1/intake/statistics", tags=["statistics"])


@router.get("", response_model=MonthlyFigures, responses=STATISTICS_ERRORS)
async def intake_statistics(
    month: MonthQuery, session: DbSession, ctx: IntakeCtx, who: Reader, region: RegionQuery = None
) -> MonthlyFigures:
    """Applications received (by channel and program), accepted, returned, withdrawn, decided (approved, refused,
    within the statutory time or late), still open past their due date at the month's end, and active-discovery
    leads raised and turned into applications, for `region` (your jurisdiction by default) and each region one level
    below it. Labels: `libs.contracts.statistics.intake.LABELS`."""
    window = window_of(who, month, region, ctx.now())
    counts = await intake_counts(session, window)
    return await monthly_figures(session, tables.region_names, "intake", window, LABELS, counts)
