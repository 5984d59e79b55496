"""Reading feeds back: a provider's own feed, its rejects by row, and the latest feeds of every source for staff."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from libs.kernel.auth import Principal
from libs.kernel.errors import NotFound
from services.matching.feeds.models import Feed, FeedReject


async def rejects(session: AsyncSession, feed_id: str, after: int | None, limit: int) -> list[FeedReject]:
    """Up to `limit + 1` rejects of a feed after row `after` (one more says there is a next page), by row."""
    query = select(FeedReject).where(FeedReject.feed_id == feed_id).order_by(FeedReject.row).limit(limit + 1)
    if after is not None:
        query = query.where(FeedReject.row > after)
    return list((await session.scalars(query)).all())


async def fresh(session: AsyncSession, feed_id: str) -> Feed:
    """A feed as the database holds it now (a load in another connection has moved it on)."""
    feed = await session.get(Feed, feed_id, populate_existing=True)
    assert feed is not None
    return feed


async def own_feed(session: AsyncSession, feed_id: str, who: Principal) -> Feed:
    feed = await session.get(Feed, feed_id)
    # Another provider's feed is as good as absent.
    if feed is None or feed.client_id != who.subject:
        raise NotFound("No such feed")
    return feed


async def latest_by_source(session: AsyncSession, per_source: int) -> dict[str, list[Feed]]:
    """The `per_source` latest feeds of every source, the latest first, in one query."""
    rank = (
        func.row_number()
        .over(partition_by=Feed.source, order_by=(Feed.received_at.desc(), Feed.feed_no.desc()))
        .label("rank")
    )
    ranked = select(Feed.id, rank).subquery()
    latest = await session.scalars(
        select(Feed)
        .join(ranked, ranked.c.id == Feed.id)
        .where(ranked.c.rank <= per_source)
        .order_by(Feed.received_at.desc(), Feed.feed_no.desc())
    )
    by_source: dict[str, list[Feed]] = {}
    for feed in latest:
        by_source.setdefault(feed.source, []).append(feed)
    return by_source
