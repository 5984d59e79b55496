"""The worker's side of a feed: once loaded, match it, index it, report to pending applications, drop what it
supersedes (DOMAIN.md §5: "a run on every new feed"); and the scheduled runs of each source.

One feed at a time per tick. Its status turns `processing` in a transaction of its own, so it can be seen while the
run goes on; the run itself is one transaction (the job's), so a crash leaves nothing half-raised and the next tick
starts it again, up to `feed_max_attempts` times.
"""

from __future__ import annotations

import datetime as dt

import structlog
from sqlalchemy import or_, select, update
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.ext.asyncio import AsyncSession

from services.matching.context import Matching
from services.matching.feeds.models import Feed, FeedFailure, FeedStatus
from services.matching.feeds.partitions import drop_partition
from services.matching.feeds.sweep import give_up
from services.matching.runs.service import analyze_feed, index_feed, run_feed
from services.matching.schedules.models import SourceSchedule
from services.matching.schedules.repository import schedules_by_source
from services.matching.sources import SOURCES, Frequency
from services.matching.verification.service import reverify_pending

_log = structlog.get_logger("matching.runs")


async def _claim(ctx: Matching) -> str | None:
    """The oldest loaded feed to run: new ones, and failed runs once their back-off has passed."""
    now = ctx.now()
    async with ctx.sessions.begin() as session:
        candidates = await session.scalars(
            select(Feed)
            .where(
                Feed.loaded_at.is_not(None),
                Feed.status.in_([FeedStatus.RECEIVED.value, FeedStatus.PROCESSING.value]),
            )
            .order_by(Feed.loaded_at)
            .limit(20)
            .with_for_update(skip_locked=True)
        )
        for feed in candidates:
            if feed.attempts and feed.started_at is not None:
                wait = dt.timedelta(seconds=ctx.settings.feed_retry_seconds * feed.attempts)
                if feed.started_at + wait > now:
                    continue
            if feed.attempts >= ctx.settings.feed_max_attempts:
                await give_up(session, ctx, feed, FeedFailure.MATCHING_FAILED, f"matching failed {feed.attempts} times")
                continue
            feed.status = FeedStatus.PROCESSING.value
            feed.started_at = now
            feed.attempts += 1
            return feed.id
    return None


async def _note_failure(ctx: Matching, feed_id: str, exc: BaseException) -> None:
    async with ctx.sessions.begin() as session:
        await session.execute(update(Feed).where(Feed.id == feed_id).values(error=f"{type(exc).__name__}"))


async def process_next_feed(session: AsyncSession, ctx: Matching) -> bool:
    """Run the oldest loaded feed; returns whether there was one."""
    feed_id = await _claim(ctx)
    if feed_id is None:
        return False
    try:
        await _process(session, ctx, feed_id)
    except Exception as exc:
        _log.exception("feed.run_failed", feed_id=feed_id)
        # Undo the run first: it may hold the feed's row, which the note below updates.
        await session.rollback()
        await _note_failure(ctx, feed_id, exc)
        raise
    return True


async def _process(session: AsyncSession, ctx: Matching, feed_id: str) -> None:
    feed = await session.get(Feed, feed_id)
    assert feed is not None
    await analyze_feed(session, feed)
    run = await run_feed(session, ctx, feed, "feed")
    await index_feed(session, feed)
    # Done (in this transaction) before the reports, so verification reads the feed among the current ones.
    feed.status = FeedStatus.DONE.value
    run.reverified = await reverify_pending(session, ctx, feed.feed_no, feed.id, feed.source)
    feed.hits_raised = run.hits_raised
    feed.deaths_raised = run.deaths_raised
    feed.finished_at = ctx.now()
    feed.error = None
    await _supersede(session, ctx, feed)
    _log.info(
        "feed.matched",
        feed_id=feed.id,
        source=feed.source,
        matched=run.matched_rows,
        hits=run.hits_raised,
        deaths=run.deaths_raised,
        reverified=run.reverified,
    )


async def _supersede(session: AsyncSession, ctx: Matching, feed: Feed) -> None:
    """Drop the records of a snapshot source's feeds beyond the newest `feeds_kept_per_source` of the same provider
    region: a registry's snapshot replaces its own earlier ones, never another region's. Feeds with no recorded
    region (from before it was recorded) are replaced by any newer feed of the source."""
    if not SOURCES[feed.source].snapshot:
        return
    same_region = (
        Feed.provider_region.is_(None)
        if feed.provider_region is None
        else or_(Feed.provider_region == feed.provider_region, Feed.provider_region.is_(None))
    )
    kept = (
        await session.scalars(
            select(Feed)
            .where(
                Feed.source == feed.source,
                Feed.status == FeedStatus.DONE.value,
                Feed.purged_at.is_(None),
                same_region,
            )
            .order_by(Feed.as_of.desc(), Feed.feed_no.desc())
        )
    ).all()
    current = [f for f in kept if f.provider_region == feed.provider_region]
    legacy = [f for f in kept if f.provider_region is None and feed.provider_region is not None]
    for old in [*current[ctx.settings.feeds_kept_per_source :], *legacy]:
        await drop_partition(session, old.feed_no)
        old.purged_at = ctx.now()


def _next_run(frequency: Frequency, now: dt.datetime) -> dt.datetime | None:
    months = frequency.months
    if months is None:
        return None
    return now + dt.timedelta(days=round(30.44 * months))


async def run_schedules(session: AsyncSession, ctx: Matching) -> int:
    """Match the latest feed of every source whose scheduled run is due; returns how many ran."""
    now = ctx.now()
    ran = 0
    schedules = await schedules_by_source(session, lock=True)
    for name, spec in SOURCES.items():
        schedule = schedules.get(name)
        if schedule is None:
            schedule = SourceSchedule(source=name, frequency=spec.frequency.value, updated_by="default")
            session.add(schedule)
        frequency = Frequency(schedule.frequency)
        if frequency.months is None or (schedule.next_run_at is not None and schedule.next_run_at > now):
            continue
        # The latest feed of each provider region: every registry's people are matched on the schedule.
        latest = (
            await session.scalars(
                select(Feed)
                .where(Feed.source == name, Feed.status == FeedStatus.DONE.value, Feed.purged_at.is_(None))
                .order_by(Feed.provider_region, Feed.as_of.desc(), Feed.feed_no.desc())
                .ext(distinct_on(Feed.provider_region))
            )
        ).all()
        if not latest:
            continue
        for feed in latest:
            await run_feed(session, ctx, feed, "schedule")
        schedule.last_run_at = now
        schedule.next_run_at = _next_run(frequency, now)
        ran += 1
    return ran
