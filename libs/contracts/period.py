"""Benefit months (DOMAIN.md §12): a period is a calendar month written `YYYY-MM` on every API.

Since October 2024 dibao and tekun are paid monthly (DOMAIN.md §9), so entitlements, rosters and overpayments
are all counted in periods rather than dates.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Annotated

from pydantic import AfterValidator

from libs.contracts.dates import bounded_date
from libs.contracts.invalid import InvalidValue

_FORM = re.compile(r"([0-9]{4})-([0-9]{2})")


class InvalidPeriod(InvalidValue):
    """A malformed benefit month."""


@dataclass(frozen=True, slots=True, order=True)
class Period:
    """A benefit month. Field order (year, month) makes the generated ordering chronological."""

    year: int
    month: int

    def __post_init__(self) -> None:
        # The same range as datetime.date, so first_day/last_day always exist.
        if not 1 <= self.year <= 9999:
            raise InvalidPeriod("invalid_period", "the year of a period is between 0001 and 9999")
        if not 1 <= self.month <= 12:
            raise InvalidPeriod("invalid_period", "the month of a period is between 01 and 12")

    @classmethod
    def parse(cls, text: str) -> Period:
        if not isinstance(text, str):
            raise InvalidPeriod("invalid_period", "a period is a string YYYY-MM")
        match = _FORM.fullmatch(text.strip())
        if match is None:
            raise InvalidPeriod("invalid_period", "a period is written YYYY-MM, e.g. 2026-12")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def of(cls, day: date) -> Period:
        return cls(day.year, day.month)

    @staticmethod
    def range(start: Period, end_inclusive: Period) -> Iterator[Period]:
        """Every month from `start` to `end_inclusive`; nothing if the end comes first."""
        current = start
        while current <= end_inclusive:
            yield current
            if current == end_inclusive:
                return
            current = current.next()

    def _index(self) -> int:
        return self.year * 12 + self.month - 1

    @classmethod
    def _from_index(cls, index: int) -> Period:
        year, month0 = divmod(index, 12)
        return cls(year, month0 + 1)

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def contains(self, day: date) -> bool:
        return (day.year, day.month) == (self.year, self.month)

    def months_until(self, other: Period) -> int:
        """Months from this period to `other`: 2026-11 → 2027-02 is 3; negative if `other` is earlier."""
        return other._index() - self._index()

    def next(self) -> Period:
        return self + 1

    def prev(self) -> Period:
        return self - 1

    def __add__(self, months: int) -> Period:
        if not isinstance(months, int) or isinstance(months, bool):
            return NotImplemented
        return Period._from_index(self._index() + months)

    def __sub__(self, months: int) -> Period:
        if not isinstance(months, int) or isinstance(months, bool):
            return NotImplemented
        return Period._from_index(self._index() - months)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def _validate_period_str(value: str) -> str:
    return str(Period.parse(value))


# For pydantic models: a benefit month "YYYY-MM", kept as the canonical string.
PeriodStr = Annotated[str, AfterValidator(_validate_period_str)]


def _validate_bounded_period_str(value: str) -> str:
    bounded_date(Period.parse(value).first_day)
    return value


# A month a request may name (a roster's, a decision's effective month, an import's first paid month): 1900-01 …
# 2099-12, the dates every API accepts (libs.contracts.dates). A household imported as paid since 0001-01, or a roster
# for 9999-12, is a typo that every later month's arithmetic (a schedule, a roster's look-back) would carry; it is a
# 422 naming the field (issue 17). Events keep `PeriodStr`: what a producer published is read as it is.
BoundedPeriodStr = Annotated[PeriodStr, AfterValidator(_validate_bounded_period_str)]
