"""Working-day arithmetic for statutory deadlines (DOMAIN.md §10).

Application procedures must finish within 30 (45) working days of acceptance (DOMAIN.md §3.3), complaints
within 5 working days by default (§6): these deadlines follow the State Council schedule, make-up working days
included.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType

from libs.contracts.calendar.schedule import YearSchedule
from libs.contracts.calendar.seed import seeded_schedules

_ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True, slots=True)
class DueDate:
    """A deadline; `provisional` when some day it depends on lies in a year whose schedule is not loaded."""

    date: dt.date
    provisional: bool


@cache
def _statutory_schedule(year: int) -> YearSchedule:
    # A year without a loaded schedule must still get a deadline (DOMAIN.md §10: "flagged provisional, never
    # refused"). The holidays package knows the statutory days of later years; it knows the make-up working
    # days only once the notice is out, which is exactly when the real schedule should be loaded instead.
    # Imported here: the package is large and only needed for years whose schedule is not loaded.
    from holidays import country_holidays

    known = country_holidays("CN", years=year)
    days_off = frozenset(day for day in known if day.year == year)
    makeup = frozenset(
        day for day in known.weekend_workdays if day.year == year and day.weekday() >= 5 and day not in days_off
    )
    return YearSchedule(year, days_off, makeup, source="statutory days of the holidays package (provisional)")


class WorkCalendar:
    """An immutable set of year schedules; `with_year` returns a new calendar."""

    __slots__ = ("_schedules",)

    _schedules: Mapping[int, YearSchedule]

    def __init__(self, schedules: Iterable[YearSchedule] = ()) -> None:
        by_year: dict[int, YearSchedule] = {}
        for schedule in schedules:
            # A later schedule for the same year replaces the earlier one (a corrected notice).
            by_year[schedule.year] = schedule
        self._schedules = MappingProxyType(by_year)

    @classmethod
    def seeded(cls) -> WorkCalendar:
        """The schedules shipped with the code (2024-2026)."""
        return cls(seeded_schedules())

    def with_year(self, schedule: YearSchedule) -> WorkCalendar:
        """A calendar with `schedule` added, or replacing the loaded schedule of its year."""
        return self.with_years([schedule])

    def with_years(self, schedules: Iterable[YearSchedule]) -> WorkCalendar:
        return WorkCalendar([*self._schedules.values(), *schedules])

    @property
    def loaded_years(self) -> tuple[int, ...]:
        return tuple(sorted(self._schedules))

    def schedule(self, year: int) -> YearSchedule | None:
        return self._schedules.get(year)

    def is_provisional(self, day: dt.date) -> bool:
        """Whether the status of `day` is only estimated (its year's schedule is not loaded)."""
        return day.year not in self._schedules

    def is_working_day(self, day: dt.date) -> bool:
        schedule = self._schedules.get(day.year) or _statutory_schedule(day.year)
        return schedule.is_working_day(day)

    def add_working_days(self, start: dt.date, n: int) -> DueDate:
        """The n-th working day after `start`, which itself is not counted (n < 0 counts backwards).

        Accepted Tue 10 Feb 2026 + 30 working days is due Mon 30 Mar 2026 (DOMAIN.md §10).
        """
        step = _ONE_DAY if n >= 0 else -_ONE_DAY
        day = start
        remaining = abs(n)
        while remaining:
            day += step
            if self.is_working_day(day):
                remaining -= 1
        if n == 0:
            return DueDate(start, provisional=False)
        # The days looked at run from the day after `start` to the due date (mirrored when counting
        # backwards).
        first_seen, last_seen = sorted((start + step, day))
        years = range(first_seen.year, last_seen.year + 1)
        return DueDate(day, provisional=any(year not in self._schedules for year in years))

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after `start` up to and including `end`; negative when `end` is earlier.

        The inverse of add_working_days for a working `end`; overdue lists say "3 working days late".
        """
        if end < start:
            return -self.working_days_between(end, start)
        count = 0
        day = start
        while day < end:
            day += _ONE_DAY
            if self.is_working_day(day):
                count += 1
        return count
