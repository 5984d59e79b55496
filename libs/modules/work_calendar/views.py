"""A year schedule as the API shows it."""

from __future__ import annotations

from typing import Any

from libs.contracts.calendar import YearSchedule
from libs.modules.work_calendar.schemas import YearScheduleOut


def schedule_out(year: int, schedule: YearSchedule | None, *, loaded: bool) -> YearScheduleOut:
    if schedule is None:
        return YearScheduleOut(year=year, holidays=[], makeup_workdays=[], source="", loaded=False, provisional=True)
    data: dict[str, Any] = schedule.to_json_dict()
    return YearScheduleOut(**data, loaded=loaded, provisional=False)
