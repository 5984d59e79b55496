"""Benefit months as disbursement's tables hold them: the first day of the month (a `date`, so PostgreSQL compares and
indexes them), `YYYY-MM` on every API. The arithmetic is `libs.contracts.period.Period`'s; these only convert."""

from __future__ import annotations

import datetime as dt

from libs.contracts.period import Period


def month_of(period: str | Period) -> dt.date:
    return (Period.parse(period) if isinstance(period, str) else period).first_day


def period_of(month: dt.date) -> str:
    return str(Period.of(month))


def add_months(month: dt.date, n: int) -> dt.date:
    return (Period.of(month) + n).first_day


def month_containing(day: dt.date) -> dt.date:
    return Period.of(day).first_day
