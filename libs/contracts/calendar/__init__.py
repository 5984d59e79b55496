"""The working-day calendar (DOMAIN.md §10)."""

from libs.contracts.calendar.schedule import InvalidSchedule, YearSchedule
from libs.contracts.calendar.seed import seeded_schedules
from libs.contracts.calendar.work_calendar import DueDate, WorkCalendar

__all__ = ["DueDate", "InvalidSchedule", "WorkCalendar", "YearSchedule", "seeded_schedules"]
