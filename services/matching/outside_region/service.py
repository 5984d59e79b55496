"""Refusing the rows a provider sent about people outside its region, whenever matching reads a feed.

A row is refused when its person is known (a member or obligor of an open household, a person of a pending
application) and none of the places they are known in lies in the provider's region. It is recorded for staff (one
row per place the person is watched in), counted as a reject (`outside_region`) of its feed, and deleted from the
feed's records, so no later run, scheduled or not, and no verification reads it. Rows about people nobody watches
stay: they act on no one yet, and the runs' own join keeps any of them out of another region's matches later.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.matching.context import Matching
from services.matching.metrics import OUTSIDE_REGION_ROWS

OUTSIDE_REGION = "outside_region"

# Everyone matching knows, with each place they are known in: members and obligors of open households, the people of
# pending applications (whether or not the household is paid this month: a refusal errs towards listing).
_KNOWN = """
    SELECT m.person, h.region_code FROM watch_members m JOIN watch_households h USING (household_id)
    WHERE NOT h.closed {people}
    UNION ALL
    SELECT o.person, h.region_code FROM watch_obligors o JOIN watch_households h USING (household_id)
    WHERE NOT h.closed {people_o}
    UNION ALL
    SELECT a.person, w.region_code FROM application_people a JOIN watch_applications w USING (application_id)
    WHERE w.status = 'pending' {people_a}
"""

# Every (row, place) of a known person, and whether any place of theirs lies in the provider's region. A feed with
# no recorded provider region (received before it was recorded) is left alone here: its rows act on no one.
_OUTSIDE = """
    SELECT DISTINCT feed_no, row_no, person, region_code FROM (
        SELECT r.feed_no, r.row_no, r.person, k.region_code,
               bool_or(starts_with(k.region_code, f.provider_region))
                   OVER (PARTITION BY r.feed_no, r.row_no) AS any_inside
        FROM records r
        JOIN feeds f ON f.feed_no = r.feed_no
        JOIN ({known}) k ON k.person = r.person
        WHERE r.feed_no = ANY(:feeds) AND f.provider_region IS NOT NULL {records}
    ) c
    WHERE NOT any_inside
"""


def _outside_select(only_people: bool) -> str:
    if not only_people:
        known = _KNOWN.format(people="", people_o="", people_a="")
        return _OUTSIDE.format(known=known, records="")
    # A restriction on each branch (not a join), so each is an index look-up of the few people asked about.
    known = _KNOWN.format(
        people="AND m.person = ANY(:people)",
        people_o="AND o.person = ANY(:people)",
        people_a="AND a.person = ANY(:people)",
    )
    return _OUTSIDE.format(known=known, records="AND r.person = ANY(:people)")


_LISTED = """
    INSERT INTO outside_region_rows (feed_id, row_no, source, client_id, client_name, provider_region, region_code,
                                     person, id_masked, recorded_at)
    SELECT f.id, o.row_no, f.source, f.client_id, f.client_name, f.provider_region, o.region_code,
           o.person, p.id_masked, :now
    FROM outside o JOIN feeds f USING (feed_no) JOIN people p ON p.person = o.person
    ON CONFLICT DO NOTHING
"""

_REJECTED = """
    INSERT INTO feed_rejects (feed_id, "row", reason)
    SELECT DISTINCT f.id, o.row_no, :reason FROM outside o JOIN feeds f USING (feed_no)
    ON CONFLICT DO NOTHING
"""

_DROPPED = """
    DELETE FROM records r USING (SELECT DISTINCT feed_no, row_no FROM outside) o
    WHERE r.feed_no = o.feed_no AND r.row_no = o.row_no AND r.feed_no = ANY(:feeds)
"""

_COUNTED = """
    UPDATE feeds f SET rows_loaded = f.rows_loaded - c.n, rows_rejected = f.rows_rejected + c.n
    FROM (SELECT feed_no, count(DISTINCT row_no) AS n FROM outside GROUP BY feed_no) c
    WHERE f.feed_no = c.feed_no
    RETURNING f.source, c.n
"""


async def refuse_outside_region(
    session: AsyncSession, ctx: Matching, feed_nos: Sequence[int], *, people: Sequence[uuid.UUID] | None = None
) -> int:
    """Refuse the rows of these feeds about known people outside each feed's provider region (only about `people`,
    when given); returns how many rows were refused now."""
    if not feed_nos or (people is not None and not people):
        return 0
    feeds = list(feed_nos)
    params: dict[str, object] = {"feeds": feeds}
    if people is not None:
        params["people"] = list(people)
        # A verification asks about a few people, almost always all inside: one look, and no temporary table
        # written and dropped for every new application (issue 23).
        if not await session.scalar(text(f"SELECT EXISTS ({_outside_select(True)})"), params):
            return 0
    await session.execute(text("DROP TABLE IF EXISTS pg_temp.outside"))
    create = f"CREATE TEMPORARY TABLE outside ON COMMIT DROP AS {_outside_select(people is not None)}"
    await session.execute(text(create), params)
    await session.execute(text(_LISTED), {"now": ctx.now()})
    await session.execute(text(_REJECTED), {"reason": OUTSIDE_REGION})
    await session.execute(text(_DROPPED), {"feeds": feeds})
    refused = 0
    for source, n in (await session.execute(text(_COUNTED))).all():
        OUTSIDE_REGION_ROWS.labels(source).inc(n)
        refused += int(n)
    return refused
