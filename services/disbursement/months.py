"""Benefit months as the database holds them: the first day of the month (`date`), `YYYY-MM` on every API."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import AfterValidator

from libs.contracts.dates import bounded_date
from libs.contracts.period import Period, PeriodStr


def _within_bounds(value: str) -> str:
    bounded_date(Period.parse(value).first_day)
    return value


# A month a roster or a batch may be for: 1900-01 … 2099-12, the dates every API accepts (libs.contracts.dates). A
# roster for 9999-12 was built, and stood before every later month's roster of its county (issue 17).
MonthStr = Annotated[PeriodStr, AfterValidator(_within_bounds)]


def month_of(period: str | Period) -> dt.date:
    p = Period.parse(period) if isinstance(period, str) else period
    return dt.date(p.year, p.month, 1)


def period_of(month: dt.date) -> str:
    return f"{month.year:04d}-{month.month:02d}"


def add_months(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def month_containing(day: dt.date) -> dt.date:
    return day.replace(day=1)
