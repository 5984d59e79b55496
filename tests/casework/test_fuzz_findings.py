"""What the staff fuzzing (tests/e2e/test_fuzz_staff.py) found in casework: a number was taken for a date.

Pydantic reads `0`, `86400` or `8.4193615835529e-307` (as text, as every query parameter comes) as seconds since 1970,
so the standards in force "on" 8.4e-307 were answered as those of 1970-01-01, and a JSON number was an effective date.
Dates and instants are ISO 8601 (CONTRACTS.md); every bounded date and instant (libs.contracts.dates) refuses a number
with a 422 naming the field, and nothing is stored.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from libs.contracts.staff import StaffRole
from libs.kernel.errors import PROBLEM_JSON
from services.casework.local_figures.models import StandardFigure
from tests.casework.support import CaseworkApi, new_county, set_standards, staff

STANDARDS = "/api/v1/casework/standards"
NUMBERS = ("0", "86400", "8.4193615835529e-307", "1735689600")  # the last: 2025-01-01 in UTC


@pytest.mark.parametrize("number", NUMBERS)
async def test_a_number_is_no_day_for_the_standards_in_force(api: CaseworkApi, number: str) -> None:
    county = new_county()
    await set_standards(api, county, date(1970, 1, 1), dibao_standard_fen=70000)
    officer = staff(StaffRole.county_officer, county)

    reply = await api.get(f"{STANDARDS}/in-force", officer, {"region_code": county, "on": number})

    assert reply.status_code == 422, reply.text
    assert reply.headers["content-type"] == PROBLEM_JSON
    assert [e["loc"] for e in reply.json()["errors"]] == [["query", "on"]]
    answered = await api.get(f"{STANDARDS}/in-force", officer, {"region_code": county, "on": "1970-01-02"})
    assert answered.status_code == 200, answered.text


@pytest.mark.parametrize("number", [0, 86400, 1735689600, "1735689600"])
async def test_a_number_is_no_effective_date_and_nothing_is_stored(api: CaseworkApi, number: int | str) -> None:
    county = new_county()
    officer = staff(StaffRole.county_officer, county)
    body = {"region_prefix": county, "effective_from": number, "figures": {"dibao_standard": "700.00"}}

    reply = await api.post(STANDARDS, officer, body)

    assert reply.status_code == 422, reply.text
    assert reply.json()["code"] == "validation_failed"
    assert [e["loc"] for e in reply.json()["errors"]] == [["body", "effective_from"]]
    async with api.db.sessions() as s:
        stored = await s.scalar(select(func.count()).where(StandardFigure.region_prefix == county))
    assert stored == 0
