"""The staff view of registry sources: their columns, schedules and latest feeds."""

from __future__ import annotations

from fastapi import APIRouter

from libs.kernel.db import DbSession
from services.matching.dependencies import Reader
from services.matching.feeds import repository, views
from services.matching.feeds.schemas import SourceOut
from services.matching.schedules import repository as schedules
from services.matching.views import WRONG_ROLE

router = APIRouter(prefix="/api/v1/matching", tags=["sources"])


@router.get("/sources", response_model=list[SourceOut], responses=WRONG_ROLE)
async def sources(session: DbSession, who: Reader) -> list[SourceOut]:
    """Every registry source: its columns, schedule and latest feeds (staff)."""
    latest = await repository.latest_by_source(session, per_source=3)
    return views.sources_out(await schedules.schedules_by_source(session), latest)
