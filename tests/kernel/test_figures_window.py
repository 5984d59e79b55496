"""The month and region of a service's monthly figures (libs.modules.figures_by_region.window_of): pure, a table of
cases — China months, the moment a stock figure is taken, the level one below, and what is refused."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from libs.contracts.clock import CHINA_TZ
from libs.contracts.staff import StaffRole
from libs.kernel.errors import OutsideJurisdiction
from libs.modules.figures_by_region import InvalidStatisticsMonth, StatisticsMonthOutOfRange, window_of
from tests.support.principals import staff

# 1 April 2026 at 00:30 in China is still 31 March in UTC: the month is China's.
NOW = datetime(2026, 4, 1, 0, 30, tzinfo=CHINA_TZ)
COUNTY = staff(StaffRole.county_officer, "140402")


def _china(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=CHINA_TZ)


@pytest.mark.parametrize(
    ("month", "region", "child_length", "as_of", "as_of_day"),
    [
        ("2026-03", None, 9, _china(date(2026, 4, 1)), date(2026, 4, 1)),
        ("2026-04", "140402", 9, NOW, date(2026, 4, 1)),
        ("2026-02", "140402101", 12, _china(date(2026, 3, 1)), date(2026, 3, 1)),
        ("2000-01", "140402101202", None, _china(date(2000, 2, 1)), date(2000, 2, 1)),
    ],
)
def test_a_window(month: str, region: str | None, child_length: int | None, as_of: datetime, as_of_day: date) -> None:
    window = window_of(COUNTY, month, region, NOW)
    assert window.region == (region or "140402")
    assert window.child_length == child_length
    assert window.start.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M") == f"{month}-01 00:00"
    assert window.end - window.start >= timedelta(days=28)
    assert window.as_of == as_of
    assert window.as_of_day == as_of_day


def test_the_nation_drills_down_to_provinces() -> None:
    window = window_of(staff(StaffRole.city_supervisor, ""), "2026-03", None, NOW)
    assert (window.region, window.child_length) == ("", 2)


@pytest.mark.parametrize(
    ("month", "region", "refusal"),
    [
        ("2026-05", None, StatisticsMonthOutOfRange),
        ("1999-12", None, StatisticsMonthOutOfRange),
        ("2026-13", None, InvalidStatisticsMonth),
        ("2026-03", "140403", OutsideJurisdiction),
        ("2026-03", "14", OutsideJurisdiction),
    ],
)
def test_what_is_refused(month: str, region: str | None, refusal: type[Exception]) -> None:
    with pytest.raises(refusal):
        window_of(COUNTY, month, region, NOW)
