"""`GET /api/v1/disbursement/statistics`: what the month paid, held and recovered, for a region and each region
below it."""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import APIRouter

from libs.contracts.statistics import MonthlyFigures
from libs.contracts.statistics.disbursement import LABELS
from libs.kernel.db import DbSession
from libs.modules.figures_by_region import STATISTICS_ERRORS, MonthQuery, RegionQuery, window_of
from libs.modules.figures_tally import Tally, scope_of
from services.disbursement.context import DisbursementCtx
from services.disbursement.db import tables
from services.disbursement.dependencies import Reader
from services.disbursement.statistics import queries

router = APIRouter(prefix="/api/v1/disbursement", tags=["statistics"])


def _nothing_derived(figures: dict[str, int]) -> Mapping[str, int]:
    # Every figure of disbursement is a sum: a region's is its children's added up.
    return {}


@router.get("/statistics", response_model=MonthlyFigures, responses=STATISTICS_ERRORS)
async def statistics(
    session: DbSession, ctx: DisbursementCtx, who: Reader, month: MonthQuery, region: RegionQuery = None
) -> MonthlyFigures:
    """The month's rosters as finance reported them (paid by program: regular, arrears, one-off; lines paid, failed,
    pending), households held at its end by kind, recoveries raised and recovered, temporary grants paid, for
    `region` (default: your jurisdiction) and each region one level below it. Labels:
    libs.contracts.statistics.disbursement."""
    scope = scope_of(window_of(who, month, region, ctx.now()))
    tally = Tally(scope, tuple(LABELS))
    tally.add(await queries.line_rows(session, scope))
    tally.add(await queries.hold_rows(session, scope))
    tally.add(await queries.recovery_rows(session, scope))
    tally.add(await queries.grant_rows(session, scope))
    return await tally.figures(session, tables.region_names, "disbursement", _nothing_derived)
