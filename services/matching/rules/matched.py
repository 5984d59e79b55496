"""`matched`: registry records joined to the people watched, built once per run inside PostgreSQL.

Two shapes: a feed against the watch list (recipients, members and obligors of households paid this month or later),
a temporary table written once per run; and the latest feeds against the people of some applications (their
verification), a CTE of the statement asking the rules. Rules read only `matched`.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from sqlalchemy import CTE, CursorResult, Result, column, text
from sqlalchemy.ext.asyncio import AsyncSession

from services.matching.feeds.models import records
from services.matching.rules.compile import matched
from services.matching.sources import SOURCES
from services.matching.watchlist.watched import WATCH_LIST

_RECORD_COLUMNS = ", ".join(f"r.{c.name}" for c in records.columns if c.name != "feed_no")


def affected(result: Result[Any]) -> int:
    """Rows a write touched (an INSERT … SELECT, a CREATE TABLE … AS)."""
    assert isinstance(result, CursorResult)
    return int(result.rowcount or 0)


async def _fresh(session: AsyncSession) -> None:
    # Dropped at commit; a second run in the same transaction (a scheduled pass over several sources) starts over.
    await session.execute(text("DROP TABLE IF EXISTS pg_temp.matched, pg_temp.watch"))


async def match_feed(session: AsyncSession, feed_no: int, month: str) -> int:
    """`matched` for one feed against the watch list as it is now; returns its row count.

    The watch list is written to a temporary table and analysed first: planned from the views alone, PostgreSQL
    cannot tell it holds a million people rather than billions, and sorts the whole feed on disk for a merge join;
    with the real count it hashes the watch list once and streams the feed past it. The memory is the run's own.
    """
    await _fresh(session)
    await session.execute(text("SET LOCAL work_mem = '256MB'"))
    await session.execute(
        text(f"CREATE TEMPORARY TABLE watch ON COMMIT DROP AS {WATCH_LIST}"),
        {"month": month},
    )
    await session.execute(text("ANALYZE pg_temp.watch"))
    result = await session.execute(
        text(
            f"""
            CREATE TEMPORARY TABLE matched ON COMMIT DROP AS
            SELECT r.feed_no, f.id AS feed_id, f.source, f.as_of, {_RECORD_COLUMNS},
                   w.role, w.household_id, NULL::text AS application_id, w.region_code, w.household_size, w.programs
            FROM records r
            JOIN feeds f ON f.feed_no = r.feed_no
            JOIN pg_temp.watch w ON w.person = r.person
            WHERE r.feed_no = :feed_no AND starts_with(w.region_code, f.provider_region)
            """  # noqa: S608 - constant SQL; values are bound
        ),
        {"feed_no": feed_no},
    )
    return affected(result)


class CurrentFeed(NamedTuple):
    feed_no: int
    source: str
    provider_region: str | None

    def covers(self, region_code: str) -> bool:
        """Whether the feed speaks for people of `region_code` (a feed of no recorded region speaks for no one)."""
        return self.provider_region is not None and region_code.startswith(self.provider_region)


async def current_feeds(session: AsyncSession) -> list[CurrentFeed]:
    """The feeds verification reads: each snapshot source's latest per provider region, every event feed kept."""
    events = [name for name, spec in SOURCES.items() if not spec.snapshot]
    rows = await session.execute(
        text(
            """
            SELECT f.feed_no, f.source, f.provider_region FROM feeds f
            WHERE f.status = 'done' AND f.indexed AND f.purged_at IS NULL
              AND (f.source = ANY(:events) OR f.feed_no = (
                    SELECT g.feed_no FROM feeds g
                    WHERE g.source = f.source AND g.provider_region IS NOT DISTINCT FROM f.provider_region
                      AND g.status = 'done' AND g.indexed AND g.purged_at IS NULL
                    ORDER BY g.as_of DESC, g.feed_no DESC LIMIT 1))
            """
        ),
        {"events": events},
    )
    return [CurrentFeed(int(no), str(source), region) for no, source, region in rows.all()]


# The people of some applications (`:apps`) against some feeds (`:feeds`), an index look-up per person. Read by
# verification as a CTE named like the table the rules are compiled against, in the one statement that asks every
# rule (`applications_matched`): a temporary table here wrote and dropped its catalogue rows for every new
# application (issue 23).
_APPLICATIONS = f"""
    WITH people AS (
        SELECT a.application_id, a.person, a.role, w.region_code, w.program,
               count(*) FILTER (WHERE a.role = 'member') OVER (PARTITION BY a.application_id) AS size
        FROM application_people a JOIN watch_applications w USING (application_id)
        WHERE a.application_id = ANY(:apps)
    )
    SELECT r.feed_no, f.id AS feed_id, f.source, f.as_of, {_RECORD_COLUMNS},
           p.role, NULL::text AS household_id, p.application_id, p.region_code,
           p.size::int AS household_size, ARRAY[p.program] AS programs
    FROM people p
    JOIN records r ON r.person = p.person AND r.feed_no = ANY(:feeds)
    JOIN feeds f ON f.feed_no = r.feed_no AND starts_with(p.region_code, f.provider_region)
"""  # noqa: S608 - constant SQL; values are bound


def applications_matched() -> CTE:
    """`matched` for the people of the applications `:apps` against the feeds `:feeds`, as a CTE to put before
    statements compiled against the `matched` table (its name hides the table's)."""
    return text(_APPLICATIONS).columns(*(column(c.name, c.type) for c in matched.columns)).cte(matched.name)
