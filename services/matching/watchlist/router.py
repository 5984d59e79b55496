"""How many people matching watches in a region, so an operator can see the watch list is in step with casework."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from libs.kernel.auth import jurisdiction_prefix
from libs.kernel.db import DbSession
from services.matching.context import MatchingCtx
from services.matching.dependencies import Reader
from services.matching.views import REGION_LIST
from services.matching.watchlist import repository, views
from services.matching.watchlist.schemas import WatchSummary
from services.matching.watchlist.watched import business_month

router = APIRouter(prefix="/api/v1/matching", tags=["watch list"])


@router.get(
    "/watch-list/summary",
    response_model=WatchSummary,
    responses=REGION_LIST,
)
async def watch_summary(
    session: DbSession,
    ctx: MatchingCtx,
    who: Reader,
    region_code: Annotated[str | None, Query(pattern=r"^[0-9]{2,12}$")] = None,
) -> WatchSummary:
    """Households watched this month under `region_code` (default: the caller's jurisdiction), with their members and
    obligors, and the applications whose people are being verified."""
    prefix = jurisdiction_prefix(who, region_code)
    month = business_month(ctx.now())
    return views.summary_out(prefix, month, await repository.counts(session, prefix, month))
