"""Counting the watch list in a region: the households paid this month with their members and obligors, and the
applications whose people are being verified."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.matching.watchlist.watched import WATCH_LIST


@dataclass(frozen=True)
class WatchCounts:
    households: int
    members: int
    obligors: int
    pending_applications: int
    applicants: int


async def counts(session: AsyncSession, prefix: str, month: str) -> WatchCounts:
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
    return WatchCounts(households, members, obligors, applications, applicants)
