"""Benefit months casework accepts: 1900-01 … 2099-12, the dates every API accepts (libs.contracts.dates).

A household imported as paid since 0001-01, or a stop from 9999-12, is a typo that every later month's arithmetic (a
schedule, a roster's look-back) would carry; it is a 422 naming the field (issue 17).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator

from libs.contracts.dates import bounded_date
from libs.contracts.period import Period, PeriodStr


def _within_bounds(value: str) -> str:
    bounded_date(Period.parse(value).first_day)
    return value


MonthStr = Annotated[PeriodStr, AfterValidator(_within_bounds)]
