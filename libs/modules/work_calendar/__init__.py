"""The working-day calendar as a table a service owns, with the admin API that loads next year's schedule.

DOMAIN.md §10: the State Council publishes next year's holiday schedule each November; an administrator loads it
here, and deadlines computed from then on use it. Years shipped with the code (`WorkCalendar.seeded()`) need no row;
a stored row for the same year replaces the shipped one (a corrected notice). Each service that computes deadlines
keeps its own copy, because services share no tables (ARCHITECTURE.md decision 3): it mounts `calendar_router`,
declares `calendar_years_table` in its metadata, creates it with `create_calendar_years` in a migration, and reads
`load_work_calendar`.
"""

from libs.modules.work_calendar.repository import load_work_calendar
from libs.modules.work_calendar.router import calendar_router
from libs.modules.work_calendar.table import calendar_years_table, create_calendar_years

__all__ = ["calendar_router", "calendar_years_table", "create_calendar_years", "load_work_calendar"]
