"""A gradual exit (渐退) pays and stays posted while it runs, is never due a periodic review, and when its last paid
month is over the household leaves the registry's active list, the village posting and the review calendar, once."""

from __future__ import annotations

from datetime import date

from libs.contracts.staff import StaffRole
from services.casework.case.exits import end_gradual_exits
from services.casework.case.opening import open_due_reviews
from tests.casework.flows import CASES, officers, recipient_household, village_report_review
from tests.casework.support import Broker, CaseworkApi, family, investigation_body, new_county, new_village, staff

HOUSEHOLDS = "/api/v1/casework/households"


async def _end_exits(api: CaseworkApi) -> int:
    assert api.ctx is not None
    async with api.db.sessions.begin() as s:
        return await end_gradual_exits(s, api.ctx)


async def _open_reviews(api: CaseworkApi) -> int:
    assert api.ctx is not None
    async with api.db.sessions.begin() as s:
        return await open_due_reviews(s, api.ctx)


async def test_a_gradual_exit_runs_out_and_leaves_the_posting_and_the_calendar(api: CaseworkApi) -> None:
    broker, county, people = Broker(api), new_county(), family()
    village = new_village(county)
    household_id, _ = await recipient_household(api, broker, county, village, people)
    township, county_officer = officers(village, county)
    api.clock.set_day(date(2026, 6, 10))
    case_id = await village_report_review(api, household_id, f"exit-end-{household_id}")
    # 800.00 a head: between the 700.00 standard and 1.5 ×: the gradual exit, paid 2026-07 to 2026-12.
    wages = [{"member_id_number": people[0].id_number, "kind": "wages", "amount_12_months": "28800.00"}]
    body = investigation_body(date(2026, 6, 10), verified_income=wages)
    assert (await api.post(f"{CASES}/{case_id}/investigations", township, body)).status_code == 201
    r = await api.post(f"{CASES}/{case_id}/proposal", township, {"outcome": "gradual_exit", "reasons": ["收入增加"]})
    assert r.status_code == 200, r.text
    r = await api.post(f"{CASES}/{case_id}/decision", county_officer, {"decision": "confirm"})
    assert r.status_code == 200, r.text

    assistant = staff(StaffRole.village_assistant, village)

    async def posted() -> list[str]:
        r = await api.get(f"/api/v1/casework/postings/{village}", assistant)
        assert r.status_code == 200, r.text
        return [i["program"] for i in r.json()["items"] if i["stage"] == "recipient"]

    # While it pays: still a recipient household, posted, with no periodic review ahead.
    hh = (await api.get(f"{HOUSEHOLDS}/{household_id}", township)).json()
    assert (hh["status"], hh["entitlements"][0]["status"], hh["next_review_date"]) == ("active", "gradual_exit", None)
    assert await posted() == ["dibao"]
    # (The jobs see every test's households: what they did is read from this one.)
    api.clock.set_day(date(2026, 12, 31))
    await _end_exits(api)
    await _open_reviews(api)
    hh = (await api.get(f"{HOUSEHOLDS}/{household_id}", township)).json()
    assert (hh["status"], hh["entitlements"][0]["status"]) == ("active", "gradual_exit")
    assert await posted() == ["dibao"]

    # The first month without payment: the entitlement stops, the household closes, once.
    api.clock.set_day(date(2027, 1, 1))
    assert await _end_exits(api) >= 1
    await _end_exits(api)
    hh = (await api.get(f"{HOUSEHOLDS}/{household_id}", township)).json()
    assert (hh["status"], hh["next_review_date"]) == ("closed", None)
    [ent] = hh["entitlements"]
    assert (ent["status"], ent["effective_from"], ent["monthly_amount"]) == ("stopped", "2027-01", "0.00")
    assert await posted() == []
    api.clock.set_day(date(2027, 6, 1))
    await _open_reviews(api)
    cases = (await api.get(CASES, county_officer, {"region_code": county, "household_id": household_id})).json()
    assert "periodic" not in [c["trigger"] for c in cases["items"]]
    changed = await api.outbox_events(subject=f"household/{household_id}", event_type="household-changed")
    assert [c["kind"] for c in changed[-1].data["changes"]] == ["member_updated", "closed"]
    assert changed[-1].data["household"]["closed"] is True
    assert sum(1 for e in changed if e.data["household"]["closed"]) == 1
    # No second stop: the `stopped` from 2027-01 went out with the decision.
    ents = await api.outbox_events(subject=f"household/{household_id}", event_type="entitlement-changed")
    assert (ents[-1].data["status"], ents[-1].data["effective_from"]) == ("stopped", "2027-01")
    assert [e.data["status"] for e in ents].count("stopped") == 1
