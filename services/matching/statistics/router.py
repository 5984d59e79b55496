"""`GET /api/v1/matching/statistics`: matching's figures of a month for a region and each region below it."""

from __future__ import annotations

from fastapi import APIRouter

from libs.contracts.statistics import MonthlyFigures
from libs.contracts.statistics.matching import LABELS
from libs.kernel.db import DbSession
from libs.modules.figures_by_region import STATISTICS_ERRORS, MonthQuery, RegionQuery, monthly_figures, window_of
from services.matching.context import MatchingCtx
from services.matching.db import tables
from services.matching.dependencies import Reader
from services.matching.statistics.figures import matching_counts

router = APIRouter(prefix="/api/v1/matching/statistics", tags=["statistics"])


@router.get("", response_model=MonthlyFigures, responses=STATISTICS_ERRORS)
async def matching_statistics(
    month: MonthQuery, session: DbSession, ctx: MatchingCtx, who: Reader, region: RegionQuery = None
) -> MonthlyFigures:
    """Registry hits raised, confirmed, dismissed and overdue (no answer within the 14 days) in the month, in all and
    by source; hits still open past their due date at the month's end; deaths found. For `region` (your jurisdiction
    by default) and each region one level below it. Labels: `libs.contracts.statistics.matching.LABELS`."""
    window = window_of(who, month, region, ctx.now())
    counts = await matching_counts(session, window)
    return await monthly_figures(session, tables.region_names, "matching", window, LABELS, counts)
