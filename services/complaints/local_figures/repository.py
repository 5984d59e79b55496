"""The figures in force for a region on a day, and deadlines computed with them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.calendar import DueDate
from libs.modules import local_figures
from libs.modules.work_calendar import load_work_calendar
from services.complaints.db import calendar_years
from services.complaints.local_figures.errors import PolicyExists
from services.complaints.local_figures.figures import NATIONAL_DEFAULTS, PolicyFigures
from services.complaints.local_figures.models import ComplaintPolicy


def _exists(policy: ComplaintPolicy) -> PolicyExists:
    return PolicyExists(
        f"{policy.region_prefix or 'The nation'} already has figures from {policy.effective_from}; figures are "
        "kept, so add them from another date"
    )


POLICIES = local_figures.LocalFigures(ComplaintPolicy, PolicyFigures.read, NATIONAL_DEFAULTS, _exists)


async def reply_due(session: AsyncSession, day: dt.date, reply_days: int) -> DueDate:
    """`reply_days` working days after `day` (not counting `day`), on the loaded holiday schedule (DOMAIN.md §10)."""
    return (await load_work_calendar(session, calendar_years)).add_working_days(day, reply_days)
