"""Business time: dates are reckoned in China Standard Time (DOMAIN.md §12).

A server running in UTC would otherwise see "today" change eight hours late, which matters for birth-date
checks and month boundaries.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

# China has a single time zone with no daylight saving, so a fixed offset is exact and avoids a tzdata
# dependency.
CHINA_TZ = timezone(timedelta(hours=8), name="CST")


def china_today() -> date:
    """Today's date in China Standard Time."""
    return datetime.now(CHINA_TZ).date()


def business_date(moment: datetime) -> date:
    """The China Standard Time date of an aware timestamp; naive timestamps are refused (unknown zone)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("business_date needs a timezone-aware datetime")
    return moment.astimezone(CHINA_TZ).date()
