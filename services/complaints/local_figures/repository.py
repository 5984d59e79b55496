"""The figures in force for a region on a day, and deadlines computed with them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.calendar import DueDate
from libs.modules import local_figures
from libs.modules.work_calendar import load_work_calendar
from services.complaints.db import calendar_years
from services.complaints.local_figures.errors import PolicyExists
from services.complaints.local_figures.figures import NATIONAL_DEFAULTS, PolicyFigures
from services.complaints.local_figures.models import ComplaintPolicy


async def policy_in_force(session: AsyncSession, region_code: str, day: dt.date) -> ComplaintPolicy | None:
    """The most specific prefix of `region_code` with a policy in force on `day`; the latest such policy wins."""
    return await local_figures.in_force(session, ComplaintPolicy, region_code, day)


async def policies_bearing_on(session: AsyncSession, region_code: str) -> Sequence[ComplaintPolicy]:
    return await local_figures.bearing_on(session, ComplaintPolicy, region_code)


async def add_policy(session: AsyncSession, policy: ComplaintPolicy) -> ComplaintPolicy:
    def exists() -> PolicyExists:
        return PolicyExists(
            f"{policy.region_prefix or 'The nation'} already has figures from {policy.effective_from}; figures are "
            "kept, so add them from another date"
        )

    return await local_figures.add(session, policy, exists)


async def figures_for(session: AsyncSession, region_code: str, day: dt.date) -> PolicyFigures:
    policy = await policy_in_force(session, region_code, day)
    # The migration seeds the national row; the fallback covers only a table someone emptied by hand.
    return PolicyFigures.read(policy) if policy is not None else NATIONAL_DEFAULTS


async def reply_due(session: AsyncSession, day: dt.date, reply_days: int) -> DueDate:
    """`reply_days` working days after `day` (not counting `day`), on the loaded holiday schedule (DOMAIN.md §10)."""
    return (await load_work_calendar(session, calendar_years)).add_working_days(day, reply_days)
