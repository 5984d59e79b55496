"""A year schedule that contradicts itself, one class per reason `YearSchedule` gives (libs.contracts.calendar)."""

from __future__ import annotations

from libs.contracts.calendar import InvalidSchedule
from libs.kernel.errors import Unprocessable


class DateOutsideYear(Unprocessable):
    code = "date_outside_year"


class MakeupDayNotWeekend(Unprocessable):
    code = "makeup_day_not_weekend"


class DayBothOffAndWorking(Unprocessable):
    code = "day_both_off_and_working"


class MalformedSchedule(Unprocessable):
    code = "malformed_schedule"


_BY_CODE: dict[str, type[Unprocessable]] = {
    cls.code: cls for cls in (DateOutsideYear, MakeupDayNotWeekend, DayBothOffAndWorking, MalformedSchedule)
}


def refusal(error: InvalidSchedule) -> Unprocessable:
    """The problem that answers `error`; a reason without a class of its own is still a 422 about the schedule."""
    return _BY_CODE.get(error.code, MalformedSchedule)(error.message)
