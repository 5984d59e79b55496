"""The staff view of registry sources: their columns, schedules and latest feeds."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import func, select

from libs.kernel.db import DbSession
from services.matching.dependencies import Reader
from services.matching.feeds.models import Feed
from services.matching.feeds.schemas import FeedOut, SourceOut
from services.matching.runs.models import SourceSchedule
from services.matching.sources import SOURCES

router = APIRouter(prefix="/api/v1/matching", tags=["sources"])


@router.get("/sources", response_model=list[SourceOut])
async def sources(session: DbSession, who: Reader) -> list[SourceOut]:
    """Every registry source: its columns, schedule and latest feeds (staff)."""
    schedules = {s.source: s for s in await session.scalars(select(SourceSchedule))}
    # The three latest feeds of every source, in one query.
    rank = (
        func.row_number()
        .over(partition_by=Feed.source, order_by=(Feed.received_at.desc(), Feed.feed_no.desc()))
        .label("rank")
    )
    ranked = select(Feed.id, rank).subquery()
    latest = await session.scalars(
        select(Feed)
        .join(ranked, ranked.c.id == Feed.id)
        .where(ranked.c.rank <= 3)
        .order_by(Feed.received_at.desc(), Feed.feed_no.desc())
    )
    by_source: dict[str, list[Feed]] = {}
    for feed in latest:
        by_source.setdefault(feed.source, []).append(feed)
    out = []
    for name, spec in SOURCES.items():
        feeds = by_source.get(name, [])
        schedule = schedules.get(name)
        out.append(
            SourceOut(
                source=name,
                label=spec.label,
                columns=list(spec.columns),
                frequency=schedule.frequency if schedule else spec.frequency.value,
                snapshot=spec.snapshot,
                last_run_at=schedule.last_run_at if schedule else None,
                next_run_at=schedule.next_run_at if schedule else None,
                latest_feeds=[FeedOut.of(f, []) for f in feeds],
            )
        )
    return out
