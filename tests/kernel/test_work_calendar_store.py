"""The stored working-day calendar (libs/modules/work_calendar.py) through a real service app (intake), in process.

A PUT commits, so each test works on a year no other test uses (2033 loaded, 2034 never loaded) and removes what it
stored; the shipped years (2024-2026) are only read.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import httpx
import pytest
from sqlalchemy import delete, select

from libs.contracts.calendar import WorkCalendar
from libs.contracts.staff import Scope, StaffRole
from libs.devstack.stack import DevStack
from libs.kernel.auth import INTERNAL_HEADER, InternalTokens, Principal, PrincipalKind
from libs.kernel.db import Database
from libs.kernel.service import create_service_app
from libs.modules.work_calendar import load_work_calendar
from services.intake.db import calendar_years
from services.intake.definition import DEFINITION as INTAKE

ADMIN = Principal("u-admin", PrincipalKind.staff, "Administrator", "", frozenset({StaffRole.system_admin.value}))
TOWNSHIP = Principal(
    "u-town", PrincipalKind.staff, "Township officer", "140402001", frozenset({StaffRole.township_officer.value})
)
COUNTY = Principal("u-county", PrincipalKind.staff, "County officer", "140402", frozenset({"county_officer"}))
PROVINCE = Principal("c-prov", PrincipalKind.client, "Province", "14", frozenset(), frozenset({Scope.province.value}))

LOADED_YEAR = 2033  # loaded by one test, removed afterwards
NEVER_LOADED_YEAR = 2034  # only ever refused
# A fictional notice: New Year's Day moved to Monday 3 January, National Day 3-7 October with Saturday 8 October
# and Sunday 9 October worked.
SCHEDULE_2033: dict[str, Any] = {
    "holidays": ["2033-01-03", "2033-10-03", "2033-10-04", "2033-10-05", "2033-10-06", "2033-10-07"],
    "makeup_workdays": ["2033-10-09", "2033-10-08"],
    "source": "国办发明电〔2032〕7号",
}


@dataclass
class CalendarApi:
    http: httpx.AsyncClient
    tokens: InternalTokens
    db: Database

    def path(self, year: int | str) -> str:
        return f"/api/v1/intake/calendar/{year}"

    async def get(self, year: int | str, principal: Principal) -> httpx.Response:
        return await self.http.get(self.path(year), headers={INTERNAL_HEADER: self.tokens.sign(principal)})

    async def put(self, year: int | str, principal: Principal, body: object) -> httpx.Response:
        return await self.http.put(self.path(year), json=body, headers={INTERNAL_HEADER: self.tokens.sign(principal)})

    async def stored(self, year: int) -> Any:
        async with self.db.sessions() as s:
            return (await s.execute(select(calendar_years).where(calendar_years.c.year == year))).one_or_none()

    async def calendar(self) -> WorkCalendar:
        async with self.db.sessions() as s:
            return await load_work_calendar(s, calendar_years)

    async def forget(self, year: int) -> None:
        async with self.db.sessions.begin() as s:
            await s.execute(delete(calendar_years).where(calendar_years.c.year == year))


@pytest.fixture
async def api(stack: DevStack) -> AsyncIterator[CalendarApi]:
    settings = INTAKE.settings().with_overrides(role="api")
    app = create_service_app(INTAKE, settings)
    tokens = InternalTokens(settings.internal_token_secret.get_secret_value())
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app)
        async with httpx.AsyncClient(transport=transport, base_url="http://intake") as http:
            calendar_api = CalendarApi(http, tokens, app.state.db)
            yield calendar_api
            await calendar_api.forget(LOADED_YEAR)


async def test_a_shipped_year_is_served_from_the_code(api: CalendarApi) -> None:
    response = await api.get(2026, TOWNSHIP)

    assert response.status_code == 200
    body = response.json()
    shipped = WorkCalendar.seeded().schedule(2026)
    assert shipped is not None
    # Shipped with the code, so not "loaded" (no row), yet not provisional either.
    assert body == {**shipped.to_json_dict(), "loaded": False, "provisional": False}
    assert "2026-10-01" in body["holidays"]
    assert body["makeup_workdays"]
    assert await api.stored(2026) is None


async def test_a_year_neither_shipped_nor_loaded_is_provisional(api: CalendarApi) -> None:
    response = await api.get(NEVER_LOADED_YEAR, PROVINCE)

    assert response.status_code == 200
    assert response.json() == {
        "year": NEVER_LOADED_YEAR,
        "holidays": [],
        "makeup_workdays": [],
        "source": "",
        "loaded": False,
        "provisional": True,
    }
    assert (await api.calendar()).is_provisional(date(NEVER_LOADED_YEAR, 3, 2))


async def test_an_administrator_loads_a_year_and_deadlines_use_it(api: CalendarApi) -> None:
    before = await api.calendar()
    assert before.is_provisional(date(2033, 10, 8))
    assert not before.is_working_day(date(2033, 10, 8))  # a Saturday, off until the notice says otherwise

    response = await api.put(LOADED_YEAR, ADMIN, SCHEDULE_2033)

    assert response.status_code == 200
    expected = {
        "year": LOADED_YEAR,
        "holidays": SCHEDULE_2033["holidays"],
        "makeup_workdays": sorted(SCHEDULE_2033["makeup_workdays"]),
        "source": SCHEDULE_2033["source"],
        "loaded": True,
        "provisional": False,
    }
    assert response.json() == expected
    row = await api.stored(LOADED_YEAR)
    assert row is not None
    assert row.loaded_by == "u-admin"
    assert row.schedule["makeup_workdays"] == ["2033-10-08", "2033-10-09"]

    again = await api.get(LOADED_YEAR, COUNTY)
    assert again.status_code == 200
    assert again.json() == expected

    calendar = await api.calendar()
    assert LOADED_YEAR in calendar.loaded_years
    assert not calendar.is_provisional(date(2033, 10, 8))
    assert calendar.is_working_day(date(2033, 10, 8))
    assert not calendar.is_working_day(date(2033, 1, 3))
    assert not calendar.is_working_day(date(2033, 10, 3))
    # Thursday 29 September + 3 working days: Friday 30, Saturday 8 October (worked), Sunday 9 (worked).
    due = calendar.add_working_days(date(2033, 9, 29), 3)
    assert (due.date, due.provisional) == (date(2033, 10, 9), False)
    # The shipped years are still there.
    assert {2024, 2025, 2026} <= set(calendar.loaded_years)


async def test_a_second_load_replaces_the_first(api: CalendarApi) -> None:
    assert (await api.put(LOADED_YEAR, ADMIN, SCHEDULE_2033)).status_code == 200
    corrected = {**SCHEDULE_2033, "makeup_workdays": ["2033-10-08"], "source": "国办发明电〔2032〕8号（更正）"}

    response = await api.put(LOADED_YEAR, ADMIN, corrected)

    assert response.status_code == 200
    assert response.json()["makeup_workdays"] == ["2033-10-08"]
    fetched = (await api.get(LOADED_YEAR, TOWNSHIP)).json()
    assert (fetched["source"], fetched["makeup_workdays"]) == (corrected["source"], ["2033-10-08"])
    calendar = await api.calendar()
    assert calendar.is_working_day(date(2033, 10, 8))
    assert not calendar.is_working_day(date(2033, 10, 9))


@pytest.mark.parametrize("principal", [TOWNSHIP, COUNTY, PROVINCE], ids=["township", "county", "partner"])
async def test_only_an_administrator_loads_a_year(api: CalendarApi, principal: Principal) -> None:
    response = await api.put(NEVER_LOADED_YEAR, principal, {**SCHEDULE_2033, "holidays": ["2034-01-02"]})

    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "role_required"
    assert await api.stored(NEVER_LOADED_YEAR) is None


async def test_no_principal_is_a_401(api: CalendarApi) -> None:
    for method in ("GET", "PUT"):
        response = await api.http.request(method, api.path(NEVER_LOADED_YEAR), json=SCHEDULE_2033)
        assert response.status_code == 401
        assert response.json()["code"] == "missing_principal"
    assert await api.stored(NEVER_LOADED_YEAR) is None


@pytest.mark.parametrize(
    ("body", "code"),
    [
        # Monday 2 October 2034 is a working day anyway: a make-up day must be a Saturday or a Sunday.
        ({"holidays": [], "makeup_workdays": ["2034-10-02"], "source": "notice"}, "makeup_day_not_weekend"),
        ({"holidays": ["2033-10-03"], "makeup_workdays": [], "source": "notice"}, "date_outside_year"),
        ({"holidays": [], "makeup_workdays": ["2035-01-06"], "source": "notice"}, "date_outside_year"),
        (
            {"holidays": ["2034-10-08"], "makeup_workdays": ["2034-10-08"], "source": "notice"},
            "day_both_off_and_working",
        ),
        ({"holidays": ["2034-02-30"], "makeup_workdays": [], "source": "notice"}, "validation_failed"),
        ({"holidays": "2034-01-02", "makeup_workdays": [], "source": "notice"}, "validation_failed"),
        ({"holidays": [], "makeup_workdays": [], "source": ""}, "validation_failed"),
        ({"holidays": [], "makeup_workdays": []}, "validation_failed"),
        (
            {"holidays": [f"2034-01-{d:02d}" for d in range(1, 32)] * 2, "makeup_workdays": [], "source": "n"},
            "validation_failed",
        ),
    ],
    ids=[
        "weekday-makeup",
        "holiday-other-year",
        "makeup-other-year",
        "off-and-working",
        "not-a-date",
        "not-a-list",
        "empty-source",
        "no-source",
        "too-many-holidays",
    ],
)
async def test_an_inconsistent_schedule_is_a_422_and_stores_nothing(
    api: CalendarApi, body: dict[str, Any], code: str
) -> None:
    response = await api.put(NEVER_LOADED_YEAR, ADMIN, body)

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == code
    assert await api.stored(NEVER_LOADED_YEAR) is None
    assert NEVER_LOADED_YEAR not in (await api.calendar()).loaded_years


@pytest.mark.parametrize("year", ["1999", "2101", "next"])
async def test_a_year_out_of_range_is_a_422(api: CalendarApi, year: str) -> None:
    for response in (await api.get(year, ADMIN), await api.put(year, ADMIN, SCHEDULE_2033)):
        assert response.status_code == 422
        assert response.json()["code"] == "validation_failed"
