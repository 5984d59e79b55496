"""The deadline figures in force for a county and month, read the one way of `libs.modules.local_figures`."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from libs.modules import local_figures
from services.disbursement.deadlines.errors import DeadlineFiguresExist
from services.disbursement.deadlines.figures import NATIONAL_DEFAULTS, DeadlineFigures
from services.disbursement.deadlines.models import DeadlineFigure
from services.disbursement.months import period_of


def _exists(row: DeadlineFigure) -> DeadlineFiguresExist:
    return DeadlineFiguresExist(
        f"{row.region_prefix or 'The nation'} already has deadline figures from {period_of(row.effective_from)}; "
        "figures are kept, so add them from another month"
    )


FIGURES = local_figures.LocalFigures(DeadlineFigure, DeadlineFigures.read, NATIONAL_DEFAULTS, _exists)


async def paid_by(session: AsyncSession, county: str, month: dt.date) -> dt.date:
    """The day by which the county's roster for `month` is paid: the figures in force on the month's first day."""
    figures = await FIGURES.figures_for(session, county, month)
    return month.replace(day=figures.paid_by_day)
