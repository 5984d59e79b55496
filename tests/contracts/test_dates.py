"""Dates and instants are ISO 8601 (CONTRACTS.md), never numbers.

Pydantic takes a number, or a text that is one, for seconds since 1970: the standards in force "on"
8.4193615835529e-307 were those of 1970-01-01, and a JSON number was an effective date (found by
tests/e2e/test_fuzz_staff.py; the casework cases are in tests/casework/test_fuzz_findings.py). The bounded types refuse
a number on entry, as a JSON number or as a query parameter's text, and read back what was stored as it was.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from libs.contracts.dates import CivilDate, Instant, PastDate
from libs.contracts.stored import STORED

NUMBERS = (0, 86400, 1735689600, 8.4e-307, "0", " 86400", "8.4193615835529e-307", "-1e3", "1735689600")


@pytest.mark.parametrize("kind", [Instant, CivilDate, PastDate], ids=["instant", "civil-date", "past-date"])
def test_a_number_is_refused_on_entry(kind: Any) -> None:
    adapter = TypeAdapter(kind)
    for number in NUMBERS:
        with pytest.raises(ValidationError, match="not a number"):
            adapter.validate_python(number)
        with pytest.raises(ValidationError, match="not a number"):
            adapter.validate_json(str(number) if not isinstance(number, str) else f'"{number}"')


def test_iso_8601_is_taken_and_what_was_stored_is_read_back() -> None:
    assert TypeAdapter(Instant).validate_python("2025-01-01T08:00:00+08:00") == dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    assert TypeAdapter(CivilDate).validate_json('"2025-01-01"') == dt.date(2025, 1, 1)
    assert TypeAdapter(PastDate).validate_python(dt.date(2025, 1, 1), context=STORED) == dt.date(2025, 1, 1)
    stored = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    assert TypeAdapter(Instant).validate_python(stored, context=STORED) == stored
