"""How feeds are shown: to their provider with the first rejects (the rest paged), and per source to staff."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from libs.kernel.pagination import Page, encode_cursor
from libs.kernel.presenters import from_row
from services.matching.feeds import repository
from services.matching.feeds.models import Feed
from services.matching.feeds.schemas import FeedOut, RejectOut, SourceOut, UploadOut
from services.matching.schedules.models import SourceSchedule
from services.matching.sources import SOURCES

FIRST_REJECTS = 1000


def feed_out(feed: Feed, rejects: list[RejectOut], next_cursor: str | None = None) -> FeedOut:
    return from_row(FeedOut, feed, feed_id=feed.id, rejects=rejects, rejects_next_cursor=next_cursor)


def upload_out(feed: Feed, upload_url: str) -> UploadOut:
    return from_row(UploadOut, feed, feed_id=feed.id, upload_url=upload_url)


async def rejects_page(session: AsyncSession, feed_id: str, after: int | None, limit: int) -> Page[RejectOut]:
    rows = await repository.rejects(session, feed_id, after, limit)
    items = [RejectOut(row=r.row, reason=r.reason) for r in rows[:limit]]
    more = len(rows) > limit
    return Page(items=items, next_cursor=encode_cursor([items[-1].row]) if more and items else None)


async def feed_view(session: AsyncSession, feed: Feed) -> FeedOut:
    page = await rejects_page(session, feed.id, None, FIRST_REJECTS)
    return feed_out(feed, page.items, page.next_cursor)


def sources_out(schedules: dict[str, SourceSchedule], latest: dict[str, list[Feed]]) -> list[SourceOut]:
    out = []
    for name, spec in SOURCES.items():
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
                latest_feeds=[feed_out(f, []) for f in latest.get(name, [])],
            )
        )
    return out
