"""The figures in force for a region on a day, and deadlines computed with them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.calendar import DueDate
from libs.modules.work_calendar import load_work_calendar
from services.complaints.db import calendar_years
from services.complaints.local_figures.figures import NATIONAL_DEFAULTS, PolicyFigures
from services.complaints.local_figures.models import ComplaintPolicy


async def policy_in_force(session: AsyncSession, region_code: str, day: dt.date) -> ComplaintPolicy | None:
    """The most specific prefix of `region_code` with a policy in force on `day`; the latest such policy wins."""
    stmt = (
        select(ComplaintPolicy)
        .where(literal(region_code).startswith(ComplaintPolicy.region_prefix), ComplaintPolicy.effective_from <= day)
        .order_by(func.length(ComplaintPolicy.region_prefix).desc(), ComplaintPolicy.effective_from.desc())
        .limit(1)
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def figures_for(session: AsyncSession, region_code: str, day: dt.date) -> PolicyFigures:
    policy = await policy_in_force(session, region_code, day)
    # The migration seeds the national row; the fallback covers only a table someone emptied by hand.
    return PolicyFigures.read(policy) if policy is not None else NATIONAL_DEFAULTS


async def reply_due(session: AsyncSession, day: dt.date, reply_days: int) -> DueDate:
    """`reply_days` working days after `day` (not counting `day`), on the loaded holiday schedule (DOMAIN.md §10)."""
    return (await load_work_calendar(session, calendar_years)).add_working_days(day, reply_days)
