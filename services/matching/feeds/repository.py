"""Reading feeds back for their provider: a feed as the API shows it, with its first rejects, and the rest paged."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from libs.kernel.auth import Principal
from libs.kernel.errors import NotFound
from libs.kernel.pagination import Page, encode_cursor
from services.matching.feeds.models import Feed, FeedReject
from services.matching.feeds.schemas import FeedOut, RejectOut

FIRST_REJECTS = 1000


async def rejects_page(session: AsyncSession, feed_id: str, after: int | None, limit: int) -> Page[RejectOut]:
    query = select(FeedReject).where(FeedReject.feed_id == feed_id).order_by(FeedReject.row).limit(limit + 1)
    if after is not None:
        query = query.where(FeedReject.row > after)
    rows = (await session.scalars(query)).all()
    items = [RejectOut(row=r.row, reason=r.reason) for r in rows[:limit]]
    more = len(rows) > limit
    return Page(items=items, next_cursor=encode_cursor([items[-1].row]) if more and items else None)


async def view(session: AsyncSession, feed: Feed) -> FeedOut:
    page = await rejects_page(session, feed.id, None, FIRST_REJECTS)
    return FeedOut.of(feed, page.items, page.next_cursor)


async def view_of(session: AsyncSession, feed_id: str) -> FeedOut:
    feed = await session.get(Feed, feed_id, populate_existing=True)
    assert feed is not None
    return await view(session, feed)


async def own_feed(session: AsyncSession, feed_id: str, who: Principal) -> Feed:
    feed = await session.get(Feed, feed_id)
    # Another provider's feed is as good as absent.
    if feed is None or feed.client_id != who.subject:
        raise NotFound("No such feed")
    return feed
