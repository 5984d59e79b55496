"""`GET /api/v1/casework/statistics`: casework's figures of a month for a region and each region below it."""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import APIRouter

from libs.contracts.statistics import MonthlyFigures
from libs.contracts.statistics.casework import PROGRAMS
from libs.kernel.db import DbSession
from libs.modules.figures_by_region import STATISTICS_ERRORS, MonthQuery, RegionQuery, window_of
from libs.modules.figures_tally import ratio, scope_of
from services.casework.context import CaseworkCtx
from services.casework.db import tables
from services.casework.dependencies import Reader
from services.casework.statistics import service

router = APIRouter(prefix="/api/v1/casework", tags=["statistics"])


def _averages(figures: dict[str, int]) -> Mapping[str, int]:
    return {f"average_fen_{p}": ratio(figures[f"amount_fen_{p}"], figures[f"persons_{p}"]) for p in PROGRAMS}


@router.get("/statistics", response_model=MonthlyFigures, responses=STATISTICS_ERRORS)
async def statistics(
    session: DbSession, ctx: CaseworkCtx, who: Reader, month: MonthQuery, region: RegionQuery = None
) -> MonthlyFigures:
    """The registry's households and persons by program at the month's end (new and stopped in it, monthly amounts
    and the average per person), reviews, decisions, appeals and village reports of the month, for `region`
    (default: your jurisdiction) and each region one level below it. Labels: libs.contracts.statistics.casework.

    A month built by the nightly job answers from its kept rows (as of that build: the month so far, or as it was
    at its end); a month never built is counted from the registry as it stands."""
    scope = scope_of(window_of(who, month, region, ctx.now()))
    tally = await service.stored(session, scope) or await service.live(session, scope)
    return await tally.figures(session, tables.region_names, "casework", _averages)
