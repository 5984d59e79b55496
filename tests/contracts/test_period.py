from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from pydantic import BaseModel, ValidationError

from libs.contracts.clock import CHINA_TZ, business_date
from libs.contracts.period import BoundedPeriodStr, InvalidPeriod, Period, PeriodStr


@pytest.mark.parametrize(
    ("text", "year", "month"), [("2026-12", 2026, 12), ("2024-01", 2024, 1), (" 2026-02 ", 2026, 2)]
)
def test_parse(text: str, year: int, month: int) -> None:
    period = Period.parse(text)
    assert (period.year, period.month) == (year, month)
    assert str(period) == text.strip()


@pytest.mark.parametrize(
    "text", ["2026-13", "2026-00", "2026-1", "202612", "2026/12", "26-12", "0000-01", "", "2026-12-01"]
)
def test_parse_invalid(text: str) -> None:
    with pytest.raises(InvalidPeriod) as caught:
        Period.parse(text)
    assert caught.value.code == "invalid_period"


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        ("2026-11", 1, "2026-12"),
        ("2026-12", 1, "2027-01"),
        ("2026-12", 13, "2028-01"),
        ("2026-01", -1, "2025-12"),
        ("2026-03", 0, "2026-03"),
        ("2026-03", -27, "2023-12"),
    ],
)
def test_add_months(start: str, months: int, expected: str) -> None:
    assert str(Period.parse(start) + months) == expected
    assert str(Period.parse(start) - (-months)) == expected
    assert Period.parse(start).months_until(Period.parse(expected)) == months


def test_next_prev_ordering() -> None:
    period = Period(2026, 12)
    assert period.next() == Period(2027, 1)
    assert period.prev() == Period(2026, 11)
    assert Period(2026, 11) < Period(2026, 12) < Period(2027, 1)
    assert sorted([Period(2027, 1), Period(2026, 2), Period(2026, 12)]) == [
        Period(2026, 2),
        Period(2026, 12),
        Period(2027, 1),
    ]


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("2026-02", date(2026, 2, 1), date(2026, 2, 28)),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
        ("2026-12", date(2026, 12, 1), date(2026, 12, 31)),
        ("2026-04", date(2026, 4, 1), date(2026, 4, 30)),
    ],
)
def test_first_and_last_day(text: str, first: date, last: date) -> None:
    period = Period.parse(text)
    assert (period.first_day, period.last_day) == (first, last)
    assert period.contains(first)
    assert period.contains(last)
    assert not period.contains(last + timedelta(days=1))
    assert Period.of(last) == period


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2026-11", "2027-02", ["2026-11", "2026-12", "2027-01", "2027-02"]),
        ("2026-11", "2026-11", ["2026-11"]),
        ("2026-11", "2026-10", []),
    ],
)
def test_range(start: str, end: str, expected: list[str]) -> None:
    assert [str(p) for p in Period.range(Period.parse(start), Period.parse(end))] == expected


def test_out_of_range_arithmetic_is_refused() -> None:
    with pytest.raises(InvalidPeriod):
        Period(1, 1) - 1
    with pytest.raises(InvalidPeriod):
        Period(2026, 13)


class _Roster(BaseModel):
    period: PeriodStr


def test_pydantic_period_str() -> None:
    assert _Roster.model_validate({"period": "2026-12"}).period == "2026-12"
    for bad in ("2026-13", 202612, "2026-1"):
        with pytest.raises(ValidationError):
            _Roster.model_validate({"period": bad})


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime(2026, 11, 22, 16, 0, tzinfo=UTC), date(2026, 11, 23)),
        (datetime(2026, 11, 22, 15, 59, tzinfo=UTC), date(2026, 11, 22)),
        (datetime(2026, 11, 23, 0, 30, tzinfo=CHINA_TZ), date(2026, 11, 23)),
        (datetime(2026, 11, 23, 1, 0, tzinfo=timezone(timedelta(hours=-5))), date(2026, 11, 23)),
    ],
)
def test_business_date_is_china_time(moment: datetime, expected: date) -> None:
    assert business_date(moment) == expected


def test_business_date_refuses_naive() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        business_date(datetime(2026, 11, 23, 9, 0))


class _RosterMonth(BaseModel):
    period: BoundedPeriodStr


@pytest.mark.parametrize("text", ["1900-01", "2026-12", "2099-12"])
def test_bounded_period_accepts_the_months_an_api_accepts(text: str) -> None:
    assert _RosterMonth(period=text).period == text


@pytest.mark.parametrize("text", ["0001-01", "1899-12", "2100-01", "9999-12"])
def test_bounded_period_refuses_a_month_no_record_can_have(text: str) -> None:
    with pytest.raises(ValidationError, match="must lie between 1900-01-01 and 2099-12-31"):
        _RosterMonth(period=text)
