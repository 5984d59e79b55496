"""Reading the procedure figures in force for a region on a day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.calendar import DueDate
from libs.modules import local_figures
from libs.modules.work_calendar import load_work_calendar
from services.intake.db import calendar_years
from services.intake.local_figures.errors import RuleExists
from services.intake.local_figures.models import ProcedureRule
from services.intake.local_figures.rules import NATIONAL_DEFAULTS, ProcedureFigures


def _exists(rule: ProcedureRule) -> RuleExists:
    return RuleExists(
        f"{rule.region_prefix or 'The nation'} already has a rule from {rule.effective_from}; rules are kept, "
        "so add one from another date"
    )


RULES = local_figures.LocalFigures(ProcedureRule, ProcedureFigures.read, NATIONAL_DEFAULTS, _exists)


async def deadline(
    session: AsyncSession, region_code: str, day: dt.date, days: Callable[[ProcedureFigures], int]
) -> DueDate:
    """`days(figures)` working days after `day`, with the region's figures in force on `day` and the loaded calendar."""
    figures = await RULES.figures_for(session, region_code, day)
    return (await load_work_calendar(session, calendar_years)).add_working_days(day, days(figures))
