"""The work list: running clocks first (earliest due, so the overdue lead), then what awaits acceptance, then what is
closed; the same order page by page (DOMAIN.md §3.3, seed 001 §4 台账 and 动态清零)."""

from __future__ import annotations

from datetime import date
from typing import Any

from libs.contracts.staff import StaffRole
from tests.intake.support import IntakeApi, application_body, new_village, staff

APPS = "/api/v1/intake/applications"


async def _application(api: IntakeApi, village: str, *steps: str, accepted_on: date | None = None) -> str:
    officer = staff(StaffRole.township_officer, village[:9])
    if accepted_on is not None:
        api.clock.set_day(accepted_on)
    created = await api.post(APPS, officer, application_body(village))
    assert created.status_code == 201, created.text
    app_id: str = created.json()["application_id"]
    for step in steps:
        body: dict[str, Any] | None = {"reason": "申请人撤回"} if step == "withdraw" else None
        done = await api.post(f"{APPS}/{app_id}/{step}", officer, body)
        assert done.status_code == 200, done.text
    return app_id


async def test_accepted_come_first_by_due_date_then_waiting_then_closed(api: IntakeApi) -> None:
    village = new_village()
    withdrawn = await _application(api, village, "submit", "accept", "withdraw", accepted_on=date(2026, 1, 5))
    draft = await _application(api, village)
    late = await _application(api, village, "submit", "accept", accepted_on=date(2026, 2, 10))
    early = await _application(api, village, "submit", "accept", accepted_on=date(2026, 1, 12))
    submitted = await _application(api, village, "submit")
    api.clock.set_day(date(2026, 4, 1))
    reader = staff(StaffRole.city_supervisor, village[:4])

    first = await api.get(APPS, reader, {"region_code": village, "limit": 2})
    rest = await api.get(APPS, reader, {"region_code": village, "limit": 2, "cursor": first.json()["next_cursor"]})
    last = await api.get(APPS, reader, {"region_code": village, "limit": 2, "cursor": rest.json()["next_cursor"]})

    pages = [first.json(), rest.json(), last.json()]
    ids = [item["application_id"] for page in pages for item in page["items"]]
    assert ids[:2] == [early, late]  # both overdue on 1 Apr, the earlier deadline first
    assert set(ids[2:4]) == {draft, submitted}
    assert ids[4:] == [withdrawn]  # closed, although its old due date is the earliest of all
    assert [item["overdue"] for item in pages[0]["items"]] == [True, True]
    assert pages[2]["next_cursor"] is None


async def test_a_forged_cursor_is_422(api: IntakeApi) -> None:
    reader = staff(StaffRole.county_officer, "140402")

    answer = await api.get(APPS, reader, {"cursor": "eyJhZnRlciI6IFsieCIsIDEsIDJdfQ"})  # {"after": ["x", 1, 2]}

    assert (answer.status_code, answer.json()["code"]) == (422, "invalid_cursor")
