"""How many people matching watches in a region, so an operator can see the watch list is in step with casework."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel
from sqlalchemy import text

from libs.kernel.auth import jurisdiction_prefix
from libs.kernel.db import DbSession
from services.matching.context import MatchingCtx
from services.matching.dependencies import Reader
from services.matching.runs.matched import WATCH_LIST, business_month

router = APIRouter(prefix="/api/v1/matching", tags=["watch list"])


class WatchSummary(BaseModel):
    region_code: str
    month: str
    households: int
    members: int
    obligors: int
    pending_applications: int
    applicants: int


@router.get("/watch-list/summary", response_model=WatchSummary, responses={403: {}})
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
    like = prefix + "%"
    watched = await session.execute(
        text(
            f"""
            WITH watch AS ({WATCH_LIST})
            SELECT count(DISTINCT household_id), count(*) FILTER (WHERE role = 'member'),
                   count(*) FILTER (WHERE role = 'obligor')
            FROM watch WHERE region_code LIKE :like
            """  # noqa: S608 - constant SQL; values are bound
        ),
        {"month": month, "like": like},
    )
    households, members, obligors = watched.one()
    pending = await session.execute(
        text(
            """
            SELECT count(DISTINCT w.application_id), count(a.person)
            FROM watch_applications w LEFT JOIN application_people a USING (application_id)
            WHERE w.status = 'pending' AND w.region_code LIKE :like
            """
        ),
        {"like": like},
    )
    applications, applicants = pending.one()
    return WatchSummary(
        region_code=prefix,
        month=month,
        households=households,
        members=members,
        obligors=obligors,
        pending_applications=applications,
        applicants=applicants,
    )
