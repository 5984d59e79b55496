"""`GET /api/v1/complaints/statistics`: complaints's figures of a month for a region and each region below it."""

from __future__ import annotations

from fastapi import APIRouter

from libs.contracts.statistics import MonthlyFigures
from libs.contracts.statistics.complaints import LABELS
from libs.kernel.db import DbSession
from libs.modules.figures_by_region import STATISTICS_ERRORS, MonthQuery, RegionQuery, monthly_figures, window_of
from services.complaints.context import ComplaintsCtx
from services.complaints.db import tables
from services.complaints.dependencies import Reader
from services.complaints.statistics.figures import complaint_counts

router = APIRouter(prefix="/api/v1/complaints/statistics", tags=["statistics"])


@router.get("", response_model=MonthlyFigures, responses=STATISTICS_ERRORS)
async def complaints_statistics(
    month: MonthQuery, session: DbSession, ctx: ComplaintsCtx, who: Reader, region: RegionQuery = None
) -> MonthlyFigures:
    """Complaints and reports received (by kind, and by channel: 12345 work orders, letters, visits, calls, online),
    closed in the month (within the deadline or late), still open past the deadline at the month's end, and real-name
    items closed with written feedback. Counted where the item happened, for `region` (your jurisdiction by default)
    and each region one level below it. Labels: `libs.contracts.statistics.complaints.LABELS`."""
    window = window_of(who, month, region, ctx.now())
    counts = await complaint_counts(session, window)
    return await monthly_figures(session, tables.region_names, "complaints", window, LABELS, counts)
