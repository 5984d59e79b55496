"""Dates and names in registry rows (issue 17, finding 15): an event that has happened is never dated in the future
(deaths, registrations, flights; a prison term's end may lie ahead), and names lose the invisible characters that
make equal names unequal, without a real name ever being refused."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa

from libs.contracts.clock import china_today
from libs.contracts.id_number import mask_name
from libs.contracts.text import clean_line
from services.matching.feeds.validation import clean_names
from tests.matching.feed_support import check_lines
from tests.support.id_numbers import make_id

ID = make_id(dt.date(1980, 1, 2))
PRISON = ["id_number", "name", "start_date", "end_date"]


def test_events_that_have_happened_are_not_dated_in_the_future() -> None:
    today = china_today()
    tomorrow, later = today + dt.timedelta(days=1), today + dt.timedelta(days=2)
    rows, rejects = check_lines(
        "prison",
        PRISON,
        [
            f"{ID},王五,{tomorrow},",  # a registry a time zone ahead, or sending at midnight
            f"{ID},王五,{later},",
            f"{ID},王五,2020-01-01,2099-12-31",  # a term's end lies ahead
            f"{ID},王五,2020-01-01,2100-01-01",
        ],
    )
    assert [(r["start_date"], r["end_date"]) for r in rows] == [
        (tomorrow.isoformat(), ""),
        ("2020-01-01", "2099-12-31"),
    ]
    assert rejects == [(2, "future_start_date"), (4, "invalid_end_date")]
    died = check_lines("death", ["id_number", "name", "event_date"], [f"{ID},王五,{later}", f"{ID},王五,9999-12-31"])
    assert died == ([], [(1, "future_event_date"), (2, "invalid_event_date")])
    flew = check_lines("flight", ["id_number", "name", "flight_date", "route"], [f"{ID},王五,{later},太原-三亚"])
    assert flew == ([], [(1, "future_flight_date")])


def test_names_lose_invisible_characters_as_clean_line_removes_them() -> None:
    # Every character of the Basic Multilingual Plane between two letters: the bulk clean is clean_line's.
    chars = [chr(c) for c in range(0x10000) if not 0xD800 <= c <= 0xDFFF]
    names = [f"张{c}三" for c in chars]
    assert clean_names(pa.array(names)).to_pylist() == [clean_line(n) for n in names]


def test_a_name_with_invisible_characters_is_cleaned_not_rejected() -> None:
    rows, rejects = check_lines(
        "death",
        ["id_number", "name", "event_date"],
        [
            f"{ID},\u200b王\u202e五\ufeff,2026-10-01",
            f"{ID},\u200b\u200d,2026-10-01",
            f"{ID},Anne-Marie O’Neil,2026-10-01",
        ],
    )
    assert [r["name_masked"] for r in rows] == [mask_name("王五"), mask_name("Anne-Marie O’Neil")]
    assert rejects == [(2, "missing_name")]
