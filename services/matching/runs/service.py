"""A matching run: one feed against the watch list as it is now, deaths first, then hits (DOMAIN.md §5)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.clock import business_date
from services.matching.context import Matching
from services.matching.feeds.models import Feed, partition_name
from services.matching.outside_region.service import refuse_outside_region
from services.matching.rules.matched import match_feed
from services.matching.rules.repository import enabled_rules
from services.matching.runs.deaths import raise_deaths
from services.matching.runs.hits import raise_hits
from services.matching.runs.models import Run
from services.matching.watchlist.watched import business_month


async def run_feed(session: AsyncSession, ctx: Matching, feed: Feed, trigger: str) -> Run:
    started = ctx.now()
    rules = await enabled_rules(session, feed.source)
    # The watch list changes between runs: a row about someone newly watched outside the provider's region is
    # refused now, before anything is matched.
    await refuse_outside_region(session, ctx, [feed.feed_no])
    matched_rows = await match_feed(session, feed.feed_no, business_month(started))
    deaths = await raise_deaths(session, ctx, rules)
    due = business_date(started) + dt.timedelta(days=ctx.settings.hit_due_days)
    hits = await raise_hits(session, rules, started, due)
    run = Run(
        feed_id=feed.id,
        source=feed.source,
        trigger=trigger,
        started_at=started,
        finished_at=ctx.now(),
        matched_rows=matched_rows,
        hits_raised=hits,
        deaths_raised=deaths,
    )
    session.add(run)
    await session.flush()
    return run


async def index_feed(session: AsyncSession, feed: Feed) -> None:
    """The person index of a feed's records, for verification look-ups (built after its run: the run itself is one
    hash join and does not need it)."""
    table = partition_name(feed.feed_no)
    # Sorting ten million keys in memory rather than in temporary files.
    await session.execute(text("SET LOCAL maintenance_work_mem = '512MB'"))
    await session.execute(text(f"CREATE INDEX IF NOT EXISTS {table}_person ON matching.{table} (person)"))
    feed.indexed = True


async def analyze_feed(session: AsyncSession, feed: Feed) -> None:
    # Fresh statistics, so the planner hashes the watch list and streams the records.
    await session.execute(text(f"ANALYZE matching.{partition_name(feed.feed_no)}"))
