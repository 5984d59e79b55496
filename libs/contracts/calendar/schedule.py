"""One year of the State Council holiday schedule (国务院办公厅 部分节假日安排的通知), DOMAIN.md §10.

The notice is published each November for the following year and lists, per festival, the days off and the
weekend days that become working days (调休). Only the exceptions to "Monday to Friday" are stored here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from libs.contracts.invalid import InvalidValue


class InvalidSchedule(InvalidValue):
    """A year schedule that contradicts itself."""


@dataclass(frozen=True, slots=True)
class YearSchedule:
    """Days off and make-up working days of one calendar year.

    `holidays` are official days off; weekend days inside a break may be listed or not, they are days off
    either way. `makeup_workdays` are Saturdays or Sundays on which offices work.
    """

    year: int
    holidays: frozenset[date]
    makeup_workdays: frozenset[date]
    source: str

    def __post_init__(self) -> None:
        for day in self.holidays | self.makeup_workdays:
            if day.year != self.year:
                raise InvalidSchedule("date_outside_year", f"{day.isoformat()} is not in {self.year}")
        for day in self.makeup_workdays:
            if day.weekday() < 5:
                raise InvalidSchedule(
                    "makeup_day_not_weekend", f"{day.isoformat()} is a weekday, so it cannot be a make-up day"
                )
        both = self.holidays & self.makeup_workdays
        if both:
            first = min(both).isoformat()
            raise InvalidSchedule("day_both_off_and_working", f"{first} is listed as a day off and a working day")

    @classmethod
    def of(cls, year: int, holidays: Iterable[date], makeup_workdays: Iterable[date], source: str) -> YearSchedule:
        return cls(year, frozenset(holidays), frozenset(makeup_workdays), source)

    @classmethod
    def from_json_dict(cls, data: Mapping[str, Any]) -> YearSchedule:
        """Read the stored form (also what an admin API would accept): ISO dates in lists."""
        try:
            return cls.of(
                int(data["year"]),
                (date.fromisoformat(text) for text in data["holidays"]),
                (date.fromisoformat(text) for text in data["makeup_workdays"]),
                str(data["source"]),
            )
        except (KeyError, TypeError, ValueError) as error:
            if isinstance(error, InvalidSchedule):
                raise
            raise InvalidSchedule("malformed_schedule", f"malformed year schedule: {error}") from None

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "source": self.source,
            "holidays": [day.isoformat() for day in sorted(self.holidays)],
            "makeup_workdays": [day.isoformat() for day in sorted(self.makeup_workdays)],
        }

    def is_working_day(self, day: date) -> bool:
        if day in self.makeup_workdays:
            return True
        return day.weekday() < 5 and day not in self.holidays
