"""Reading the procedure figures in force for a region on a day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.calendar import DueDate
from libs.modules import local_figures
from libs.modules.work_calendar import load_work_calendar
from services.intake.db import calendar_years
from services.intake.local_figures.errors import RuleExists
from services.intake.local_figures.models import ProcedureRule
from services.intake.local_figures.rules import NATIONAL_DEFAULTS, ProcedureFigures


async def rule_in_force(session: AsyncSession, region_code: str, day: dt.date) -> ProcedureRule | None:
    """The most specific prefix of `region_code` with a rule in force on `day`; the latest such rule wins."""
    return await local_figures.in_force(session, ProcedureRule, region_code, day)


async def rules_bearing_on(session: AsyncSession, region_code: str) -> Sequence[ProcedureRule]:
    return await local_figures.bearing_on(session, ProcedureRule, region_code)


async def add_rule(session: AsyncSession, rule: ProcedureRule) -> ProcedureRule:
    def exists() -> RuleExists:
        return RuleExists(
            f"{rule.region_prefix or 'The nation'} already has a rule from {rule.effective_from}; rules are kept, "
            "so add one from another date"
        )

    return await local_figures.add(session, rule, exists)


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
