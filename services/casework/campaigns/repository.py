"""The households a campaign reaches and its progress, in a query per chunk and one for the progress."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import ColumnElement, func, select
from sqlalchemy import case as sql_case
from sqlalchemy.ext.asyncio import AsyncSession

from services.casework.case.models import Case
from services.casework.case.rules import OPEN_STATUSES, CaseStatus
from services.casework.registry.models import Household, HouseholdStatus

_OPEN = [s.value for s in OPEN_STATUSES]


def _in_scope(county_code: str) -> tuple[ColumnElement[bool], ...]:
    # Active households on the review calendar: one running out a gradual exit, or holding only programs the monthly
    # registry check covers (case/review_dates.py), has no review date, so a campaign leaves it alone as the
    # calendar does.
    return (
        Household.region_code.startswith(county_code, autoescape=True),
        Household.status == HouseholdStatus.ACTIVE,
        Household.next_review_date.is_not(None),
    )


async def households_in_scope(session: AsyncSession, county_code: str) -> int:
    return int(await session.scalar(select(func.count()).where(*_in_scope(county_code))) or 0)


async def households_after(session: AsyncSession, county_code: str, after: str | None, limit: int) -> list[str]:
    """The next `limit` households in id order after the campaign's cursor."""
    stmt = select(Household.id).where(*_in_scope(county_code)).order_by(Household.id).limit(limit)
    if after is not None:
        stmt = stmt.where(Household.id > after)
    return list((await session.scalars(stmt)).all())


async def under_review(session: AsyncSession, household_ids: Sequence[str]) -> set[str]:
    """Those of `household_ids` with a case open (a review of any trigger, the calendar's or another campaign's)."""
    stmt = select(Case.household_id).where(Case.household_id.in_(household_ids), Case.status.in_(_OPEN)).distinct()
    return {h for h in (await session.scalars(stmt)).all() if h is not None}


# (township, opened, decided, cancelled, open, overdue)
Progress = list[tuple[str, int, int, int, int, int]]


async def progress(session: AsyncSession, campaign_id: str, today: dt.date) -> Progress:
    """(township, opened, decided, cancelled, open, overdue) of the campaign's reviews, by township."""
    township = func.substr(Case.region_code, 1, 9)
    open_ = Case.status.in_(_OPEN)

    def count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
        return func.sum(sql_case((condition, 1), else_=0))

    stmt = (
        select(
            township,
            func.count(),
            count_if(Case.status == CaseStatus.DECIDED),
            count_if(Case.status == CaseStatus.CANCELLED),
            count_if(open_),
            count_if(open_ & (Case.due_date < today)),
        )
        .where(Case.campaign_id == campaign_id)
        .group_by(township)
        .order_by(township)
    )
    return [
        (t, int(n), int(d or 0), int(c or 0), int(o or 0), int(x or 0))
        for t, n, d, c, o, x in await session.execute(stmt)
    ]
