"""Reading the procedure figures in force for a region on a day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.calendar import DueDate
from libs.modules.work_calendar import load_work_calendar
from services.intake.db import calendar_years
from services.intake.local_figures.models import ProcedureRule
from services.intake.local_figures.rules import NATIONAL_DEFAULTS, ProcedureFigures


async def rule_in_force(session: AsyncSession, region_code: str, day: dt.date) -> ProcedureRule | None:
    """The most specific prefix of `region_code` with a rule in force on `day`; the latest such rule wins."""
    stmt = (
        select(ProcedureRule)
        .where(literal(region_code).startswith(ProcedureRule.region_prefix), ProcedureRule.effective_from <= day)
        .order_by(func.length(ProcedureRule.region_prefix).desc(), ProcedureRule.effective_from.desc())
        .limit(1)
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def figures_for(session: AsyncSession, region_code: str, day: dt.date) -> ProcedureFigures:
    rule = await rule_in_force(session, region_code, day)
    # The migration seeds a national row, so the fallback only covers a database someone emptied by hand.
    return ProcedureFigures.read(rule) if rule is not None else NATIONAL_DEFAULTS


async def deadline(
    session: AsyncSession, region_code: str, day: dt.date, days: Callable[[ProcedureFigures], int]
) -> DueDate:
    """`days(figures)` working days after `day`, with the region's figures in force on `day` and the loaded calendar."""
    figures = await figures_for(session, region_code, day)
    return (await load_work_calendar(session, calendar_years)).add_working_days(day, days(figures))
