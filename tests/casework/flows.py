"""Walking a case through its states as the staff would, for tests that need a case or a recipient household."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from libs.contracts.staff import StaffRole
from libs.kernel.auth import Principal
from services.casework.case import service as case_service
from services.casework.case.models import Case
from services.casework.case.opening import open_triggered
from services.casework.case.rules import Trigger
from tests.casework.support import (
    Broker,
    CaseworkApi,
    Person,
    application,
    event,
    family,
    investigation_body,
    set_standards,
    staff,
    verification,
)

CASES = "/api/v1/casework/cases"


async def case_of_application(api: CaseworkApi, application_id: str) -> Case:
    async with api.db.sessions() as s:
        case = (await s.scalars(select(Case).where(Case.application_id == application_id))).one()
    return case


async def end_publicity(api: CaseworkApi) -> int:
    assert api.ctx is not None
    async with api.db.sessions.begin() as s:
        return await case_service.end_publicity_due(s, api.ctx)


async def recipient_household(
    api: CaseworkApi,
    broker: Broker,
    county: str,
    village: str,
    people: list[Person] | None = None,
    *,
    wages: str = "9600.00",
    standards: dict[str, Any] | None = None,
) -> tuple[str, str]:
    """An approved dibao household in `village` (standard 700.00 unless given): (household id, case id)."""
    await set_standards(api, county, **(standards or {"dibao_standard_fen": 70000}))
    people = people or family()
    api.clock.set_day(date(2026, 3, 2))
    app = application(village, people, wages_12_months=wages)
    await broker.deliver(event(app, f"application/{app.application_id}"))
    await broker.deliver(event(verification(app.application_id, people), "application", source="matching"))
    case = await case_of_application(api, app.application_id)
    township = staff(StaffRole.township_officer, village[:9])
    county_officer = staff(StaffRole.county_officer, county)
    r = await api.post(f"{CASES}/{case.id}/investigations", township, investigation_body(date(2026, 3, 2)))
    assert r.status_code == 201, r.text
    r = await api.post(f"{CASES}/{case.id}/proposal", township, {"outcome": "approved"})
    assert r.status_code == 200, r.text
    api.clock.set_day(date(2026, 3, 2) + timedelta(days=9))
    assert await end_publicity(api) >= 1
    r = await api.post(f"{CASES}/{case.id}/decision", county_officer, {"decision": "confirm"})
    assert r.status_code == 200, r.text
    assert r.headers["x-jiuzhu-audit"] == f"case.decided case/{case.id}"  # for the gateway's access audit
    household_id = r.json()["household_id"]
    assert household_id
    return household_id, case.id


def officers(village: str, county: str) -> tuple[Principal, Principal]:
    return staff(StaffRole.township_officer, village[:9]), staff(StaffRole.county_officer, county)


async def village_report_review(api: CaseworkApi, household_id: str, ref: str) -> str:
    """A review of `household_id` opened as a village's report opens one (trigger reference `ref`): its case id."""
    assert api.ctx is not None
    async with api.db.sessions.begin() as s:
        case, created = await open_triggered(
            s,
            api.ctx,
            household_id=household_id,
            trigger=Trigger.VILLAGE_REPORT,
            trigger_ref=ref,
            summary="村报 income",
            actor="test",
        )
    assert created
    return case.id
