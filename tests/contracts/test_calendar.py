from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar
import pytest

from libs.contracts.calendar import DueDate, InvalidSchedule, WorkCalendar, YearSchedule, seeded_schedules

CALENDAR = WorkCalendar.seeded()


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def test_seeded_years() -> None:
    assert CALENDAR.loaded_years == (2024, 2025, 2026)


def test_seed_matches_chinese_calendar_every_day() -> None:
    # The stored data must say exactly what chinese-calendar says, for every day of every seeded year.
    for day in _days(date(2024, 1, 1), date(2026, 12, 31)):
        expected = bool(chinese_calendar.is_workday(day))
        assert CALENDAR.is_working_day(day) is expected, day
        assert not CALENDAR.is_provisional(day)


def test_2026_facts_from_the_notice() -> None:
    schedule = CALENDAR.schedule(2026)
    assert schedule is not None
    assert schedule.makeup_workdays == {
        date(2026, 1, 4),
        date(2026, 2, 14),
        date(2026, 2, 28),
        date(2026, 5, 9),
        date(2026, 9, 20),
        date(2026, 10, 10),
    }
    assert not any(CALENDAR.is_working_day(day) for day in _days(date(2026, 2, 15), date(2026, 2, 23)))
    assert not any(CALENDAR.is_working_day(day) for day in _days(date(2026, 10, 1), date(2026, 10, 7)))


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        # DOMAIN.md §10: accepted Tue 10 Feb 2026, 30 working days, due Mon 30 Mar 2026.
        (date(2026, 2, 10), 30, date(2026, 3, 30)),
        # Spring Festival 2026: Sat 14 Feb is a make-up day, 15-23 Feb is the break.
        (date(2026, 2, 13), 1, date(2026, 2, 14)),
        (date(2026, 2, 13), 2, date(2026, 2, 24)),
        (date(2026, 2, 14), 1, date(2026, 2, 24)),
        (date(2026, 2, 27), 1, date(2026, 2, 28)),
        # National Day 2026: break 1-7 Oct, make-up Sun 20 Sep and Sat 10 Oct; Mid-Autumn Fri 25 Sep off.
        (date(2026, 9, 18), 1, date(2026, 9, 20)),
        (date(2026, 9, 24), 1, date(2026, 9, 28)),
        (date(2026, 9, 30), 1, date(2026, 10, 8)),
        (date(2026, 9, 30), 3, date(2026, 10, 10)),
        (date(2026, 9, 30), 4, date(2026, 10, 12)),
        # Year boundary 2025 -> 2026: 1-3 Jan off, Sun 4 Jan 2026 is a make-up working day.
        (date(2025, 12, 31), 1, date(2026, 1, 4)),
        (date(2025, 12, 31), 2, date(2026, 1, 5)),
        (date(2025, 12, 30), 1, date(2025, 12, 31)),
        # The start day is never counted, even when it is a day off.
        (date(2026, 2, 15), 1, date(2026, 2, 24)),
        (date(2026, 2, 10), 0, date(2026, 2, 10)),
        # Counting backwards mirrors counting forwards.
        (date(2026, 3, 30), -30, date(2026, 2, 10)),
        (date(2026, 2, 24), -1, date(2026, 2, 14)),
    ],
)
def test_add_working_days_in_loaded_years(start: date, n: int, due: date) -> None:
    assert CALENDAR.add_working_days(start, n) == DueDate(due, provisional=False)


def test_due_date_in_an_unloaded_year_is_provisional() -> None:
    # Thu 31 Dec 2026 counts; Fri 1 Jan 2027 (statutory) and the weekend do not; Mon 4 and Tue 5 Jan do.
    assert CALENDAR.add_working_days(date(2026, 12, 30), 3) == DueDate(date(2027, 1, 5), provisional=True)
    assert CALENDAR.add_working_days(date(2026, 12, 30), 1) == DueDate(date(2026, 12, 31), provisional=False)
    assert CALENDAR.is_provisional(date(2027, 1, 4))
    assert not CALENDAR.is_working_day(date(2027, 1, 1))
    assert not CALENDAR.is_working_day(date(2027, 1, 2))


def test_loading_2027_makes_it_final() -> None:
    # A made-up 2027 schedule: the point is that a loaded make-up day counts and the result is final.
    schedule_2027 = YearSchedule.of(2027, {date(2027, 1, 1)}, {date(2027, 1, 2)}, source="test")
    calendar = CALENDAR.with_year(schedule_2027)
    assert calendar.loaded_years == (2024, 2025, 2026, 2027)
    assert calendar.add_working_days(date(2026, 12, 30), 3) == DueDate(date(2027, 1, 4), provisional=False)
    # The original calendar is untouched.
    assert CALENDAR.loaded_years == (2024, 2025, 2026)


def test_with_year_replaces_a_loaded_year() -> None:
    bare_2026 = YearSchedule.of(2026, (), (), source="test: no exceptions")
    calendar = CALENDAR.with_year(bare_2026)
    assert calendar.schedule(2026) is bare_2026
    assert not calendar.is_working_day(date(2026, 1, 4))
    assert calendar.is_working_day(date(2026, 1, 2))


@pytest.mark.parametrize("year", [1, 1900, 2023, 2027, 2150, 9998])
def test_unloaded_years_never_raise(year: int) -> None:
    due = CALENDAR.add_working_days(date(year, 3, 2), 5)
    assert due.provisional
    assert due.date > date(year, 3, 2)


@pytest.mark.parametrize(
    ("start", "end", "count"),
    [
        (date(2026, 2, 10), date(2026, 3, 30), 30),
        (date(2026, 3, 30), date(2026, 2, 10), -30),
        (date(2026, 2, 10), date(2026, 2, 10), 0),
        (date(2026, 2, 13), date(2026, 2, 23), 1),
        (date(2025, 12, 31), date(2026, 1, 4), 1),
    ],
)
def test_working_days_between(start: date, end: date, count: int) -> None:
    assert CALENDAR.working_days_between(start, end) == count


@pytest.mark.parametrize(
    ("holidays", "makeup", "code"),
    [
        ({date(2025, 12, 31)}, set(), "date_outside_year"),
        (set(), {date(2026, 1, 5)}, "makeup_day_not_weekend"),
        ({date(2026, 1, 4)}, {date(2026, 1, 4)}, "day_both_off_and_working"),
    ],
)
def test_schedule_validation(holidays: set[date], makeup: set[date], code: str) -> None:
    with pytest.raises(InvalidSchedule) as caught:
        YearSchedule.of(2026, holidays, makeup, source="test")
    assert caught.value.code == code


def test_schedule_json_round_trip() -> None:
    for schedule in seeded_schedules():
        assert YearSchedule.from_json_dict(schedule.to_json_dict()) == schedule


@pytest.mark.parametrize(
    "data",
    [
        {"year": 2027, "holidays": ["2027-13-01"], "makeup_workdays": [], "source": "x"},
        {"year": 2027, "holidays": [], "source": "x"},
        {"year": "twenty", "holidays": [], "makeup_workdays": [], "source": "x"},
        {"year": 2027, "holidays": [20270101], "makeup_workdays": [], "source": "x"},
    ],
)
def test_schedule_from_malformed_json(data: dict[str, object]) -> None:
    with pytest.raises(InvalidSchedule) as caught:
        YearSchedule.from_json_dict(data)
    assert caught.value.code == "malformed_schedule"
