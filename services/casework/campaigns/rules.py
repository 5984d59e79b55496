"""The window of an annual review campaign (seed 001 三(五) "年度复核一般为 2-3 个月"), as pure rules."""

from __future__ import annotations

import datetime as dt

from libs.contracts.period import Period

# The window lasts two to three calendar months (a window from 1 March ends between 30 April and 31 May).
MIN_MONTHS, MAX_MONTHS = 2, 3
# A campaign is opened at most this many months before its window starts.
MONTHS_AHEAD = 3


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or that month's last day (31 January + 1 month is 28 or 29 February)."""
    month = Period.of(day) + months
    return month.first_day.replace(day=min(day.day, month.last_day.day))


def window_violations(year: int, start: dt.date, end: dt.date, today: dt.date) -> list[tuple[str, str]]:
    """(field, message) for each way the window does not fit; empty when it does."""
    out: list[tuple[str, str]] = []
    if start.year != year:
        out.append(("window_start", f"the window of the {year} review starts in {year}"))
    shortest = add_months(start, MIN_MONTHS) - dt.timedelta(days=1)
    longest = add_months(start, MAX_MONTHS) - dt.timedelta(days=1)
    if not shortest <= end <= longest:
        out.append(("window_end", f"a window from {start} ends between {shortest} and {longest} (2 to 3 months)"))
    if end < today:
        out.append(("window_end", f"the window ended before today ({today})"))
    if start > add_months(today, MONTHS_AHEAD):
        out.append(("window_start", f"a campaign opens at most {MONTHS_AHEAD} months before its window"))
    return out
