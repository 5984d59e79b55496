"""Instants and dates every API accepts, within bounds a real record can have (CONTRACTS.md, common rules).

Python's datetime reaches from year 1 to 9999, and PostgreSQL and the working-day arithmetic do not: an instant in
year 1 or 9999 overflowed when converted to China time, a deadline added to it, or stored, and a request was a 500.
Every instant and date that enters through an API is one of these types, so such input is a 422 and changes nothing.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any

from pydantic import AfterValidator, AwareDatetime, BeforeValidator, ValidationInfo

from libs.contracts.clock import china_today
from libs.contracts.stored import read_back

# Instants of business: applications, work orders, payments, warnings, sync cursors. Before 1970 nothing in these
# systems was recorded electronically; after 2100 is a typo.
EARLIEST_INSTANT = datetime(1970, 1, 1, tzinfo=UTC)
LATEST_INSTANT = datetime(2100, 1, 1, tzinfo=UTC)
# Dates of a life (birth, death, imprisonment, a registration): the oldest living person was born after 1900.
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2099, 12, 31)
# How far ahead of today a date "in the past" may be: a feed dated by a registry in another time zone, or sent at
# midnight, may say tomorrow.
_CLOCK_SLACK = timedelta(days=1)
# A number, or a text that is one: pydantic reads it as seconds since 1970.
_NUMBER = re.compile(r"\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*")


def bounded_instant(value: datetime) -> datetime:
    # Compared in its own zone's terms first: converting one near year 1 or 9999 to UTC would itself overflow.
    if not EARLIEST_INSTANT.year <= value.year <= LATEST_INSTANT.year or not (
        EARLIEST_INSTANT <= value < LATEST_INSTANT
    ):
        raise ValueError(f"must lie between {EARLIEST_INSTANT.year} and {LATEST_INSTANT.year - 1}")
    return value


def bounded_date(value: date) -> date:
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValueError(f"must lie between {EARLIEST_DATE.isoformat()} and {LATEST_DATE.isoformat()}")
    return value


def past_date(value: date) -> date:
    bounded_date(value)
    if value > china_today() + _CLOCK_SLACK:
        raise ValueError("must not lie in the future")
    return value


def _not_a_number(value: Any, info: ValidationInfo) -> Any:
    # Pydantic takes `0`, `86400` or `8.4e-307` (also as text, as every query parameter is) for seconds since 1970:
    # the standards in force "on" 8.4e-307 were those of 1970-01-01 (found by tests/e2e/test_fuzz_staff.py). Dates
    # and instants are ISO 8601 (CONTRACTS.md); a number is a malformed request.
    is_number = isinstance(value, int | float) and not isinstance(value, bool)
    if not read_back(info) and (is_number or (isinstance(value, str) and _NUMBER.fullmatch(value))):
        raise ValueError("must be an ISO 8601 date or date-time, not a number")
    return value


# The validators of the types below: bounds at entry, none for a document read back as stored (libs.contracts.stored).
def entered_instant(value: datetime, info: ValidationInfo) -> datetime:
    return value if read_back(info) else bounded_instant(value)


def entered_date(value: date, info: ValidationInfo) -> date:
    return value if read_back(info) else bounded_date(value)


def entered_past_date(value: date, info: ValidationInfo) -> date:
    # Read back, a past date stays what it was when it was entered (yesterday's "tomorrow" included).
    return value if read_back(info) else past_date(value)


# An instant with its UTC offset (CONTRACTS.md: timestamps are ISO 8601 with offset), 1970–2099.
Instant = Annotated[AwareDatetime, BeforeValidator(_not_a_number), AfterValidator(entered_instant)]
# A calendar date 1900-01-01 … 2099-12-31 (benefit dates, effective dates, deadlines).
CivilDate = Annotated[date, BeforeValidator(_not_a_number), AfterValidator(entered_date)]
# A date that has happened: a birth, a death, an event a registry reports, a feed's as-of date (not after tomorrow).
PastDate = Annotated[date, BeforeValidator(_not_a_number), AfterValidator(entered_past_date)]
