"""A new application's case through every state (DOMAIN.md §3), with each illegal move refused (409)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from libs.contracts.money import Money
from libs.contracts.period import Period
from libs.contracts.staff import StaffRole
from services.casework.case.models import Case, CaseHistory
from services.casework.registry.models import Household
from tests.casework.flows import CASES, case_of_application, end_publicity, officers
from tests.casework.support import (
    Broker,
    CaseworkApi,
    application,
    event,
    family,
    investigation_body,
    new_county,
    new_village,
    set_standards,
    staff,
    verification,
)


async def test_an_application_goes_from_verification_to_a_paid_household(api: CaseworkApi) -> None:
    broker = Broker(api)
    county = new_county()
    village = new_village(county)
    await set_standards(api, county, dibao_standard_fen=70000)
    township, county_officer = officers(village, county)
    people = family()
    api.clock.set_day(date(2026, 3, 2))
    app = application(village, people, wages_12_months="9600.00")
    await broker.deliver(event(app, f"application/{app.application_id}"))
    case = await case_of_application(api, app.application_id)
    assert case.status == "awaiting_verification"
    assert case.due_date == app.due_date

    # Nothing happens before matching's report (逢进必核).
    early = await api.post(f"{CASES}/{case.id}/investigations", township, investigation_body(date(2026, 3, 2)))
    assert early.status_code == 409
    assert early.json()["code"] == "invalid_status"
    assert early.json()["status_now"] == "awaiting_verification"

    await broker.deliver(event(verification(app.application_id, people, findings=1), "application", source="matching"))
    seen = (await api.get(f"{CASES}/{case.id}", township)).json()
    assert seen["status"] == "investigating"
    assert [f["outcome"] for f in seen["verification"]].count("finding") == 1
    assert all("*" in f["member_id_number_masked"] for f in seen["verification"])

    premature = await api.post(f"{CASES}/{case.id}/decision", county_officer, {"decision": "confirm"})
    assert premature.status_code == 409

    r = await api.post(f"{CASES}/{case.id}/investigations", township, investigation_body(date(2026, 3, 2)))
    assert r.status_code == 201, r.text
    assert r.json()["status"] == "township_review"

    r = await api.post(f"{CASES}/{case.id}/proposal", township, {"outcome": "approved"})
    assert r.status_code == 200, r.text
    body = r.json()
    # (700.00 × 3) − 9,600.00 / 12 = 1,300.00, shown line by line.
    assert body["status"] == "publicity"
    assert body["proposed_amount"] == "1300.00"
    assert body["calculation"][-1]["amount"] == "1300.00"
    assert len(body["calculation"]) >= 3
    assert body["publicity_ends_on"] == (date(2026, 3, 2) + timedelta(days=7)).isoformat()

    during = await api.post(f"{CASES}/{case.id}/decision", county_officer, {"decision": "confirm"})
    assert during.status_code == 409
    assert during.json()["status_now"] == "publicity"

    api.clock.set_day(date(2026, 3, 9))
    assert await end_publicity(api) == 0  # the seventh day is still a day of publicity
    api.clock.set_day(date(2026, 3, 10))
    assert await end_publicity(api) >= 1

    by_township = await api.post(f"{CASES}/{case.id}/decision", township, {"decision": "confirm"})
    assert by_township.status_code == 403
    assert by_township.json()["code"] == "confirmation_not_delegated"

    r = await api.post(f"{CASES}/{case.id}/decision", county_officer, {"decision": "confirm"})
    assert r.status_code == 200, r.text
    decided = r.json()
    assert (decided["status"], decided["outcome"], decided["effective_month"]) == ("decided", "approved", "2026-04")
    again = await api.post(f"{CASES}/{case.id}/decision", county_officer, {"decision": "confirm"})
    assert again.status_code == 409

    household_id = decided["household_id"]
    events = await api.outbox_events(subject=f"household/{household_id}")
    [ent] = [e for e in events if e.type == "entitlement-changed"]
    assert ent.data["monthly_amount"] == "1300.00"
    assert ent.data["effective_from"] == "2026-04"
    assert ent.data["payment_account"]["account_no_masked"] == "6222********0000"
    assert len(ent.data["members"]) == 3
    assert [e.type for e in events].count("household-changed") == 1
    [decision] = await api.outbox_events(subject=f"case/{case.id}", event_type="case-decided")
    assert decision.data["application_id"] == app.application_id
    assert decision.data["outcome"] == "approved"

    hh = (await api.get(f"/api/v1/casework/households/{household_id}", township)).json()
    assert [e["monthly_amount"] for e in hh["entitlements"]] == ["1300.00"]
    # Reviewed half-yearly (class B) from the first paid month.
    assert (hh["review_class"], hh["next_review_date"]) == ("B", str((Period.parse("2026-04") + 6).first_day))
    assert all("*" in m["id_number_masked"] for m in hh["members"])
    async with api.db.sessions() as s:
        history = (
            await s.scalars(select(CaseHistory.action).where(CaseHistory.case_id == case.id).order_by(CaseHistory.id))
        ).all()
    assert history == [
        "opened",
        "verification_completed",
        "investigation_recorded",
        "proposed",
        "publicity_ended",
        "confirmed",
    ]
    assert Money.from_str(decided["proposed_amount"]).fen == 130000
    # Clear columns hold no identity number and no calculation (its lines can name health grounds): both are sealed.
    async with api.db.sessions() as s:
        stored = await s.get(Case, case.id)
    assert stored is not None
    assert stored.proposal is not None
    assert "calculation" not in stored.proposal
    assert all(p.id_number not in str(stored.proposal) for p in people)
    assert all(p.id_number not in stored.content_sealed for p in people)


async def test_an_objection_reopens_the_investigation_and_a_rejection_needs_a_reason(api: CaseworkApi) -> None:
    broker = Broker(api)
    county = new_county()
    village = new_village(county)
    await set_standards(api, county, dibao_standard_fen=70000)
    township, county_officer = officers(village, county)
    people = family()
    api.clock.set_day(date(2026, 3, 2))
    app = application(village, people)
    await broker.deliver(event(verification(app.application_id, people), "application", source="matching"))
    await broker.deliver(event(app, f"application/{app.application_id}"))
    case = await case_of_application(api, app.application_id)
    # The report arrived first: the case opens straight into the investigation.
    assert case.status == "investigating"

    await api.post(f"{CASES}/{case.id}/investigations", township, investigation_body(date(2026, 3, 2)))
    await api.post(f"{CASES}/{case.id}/proposal", township, {"outcome": "approved"})
    r = await api.post(f"{CASES}/{case.id}/objections", township, {"summary": "邻居反映有车", "raised_by": "村民张某"})
    assert r.status_code == 200
    assert r.json()["status"] == "investigating"
    again = await api.post(f"{CASES}/{case.id}/objections", township, {"summary": "x", "raised_by": "y"})
    assert again.status_code == 409

    second = investigation_body(date(2026, 3, 2), findings="核实有一辆未注销摩托车")
    assert (await api.post(f"{CASES}/{case.id}/investigations", township, second)).status_code == 201
    unreasoned = await api.post(f"{CASES}/{case.id}/proposal", township, {"outcome": "rejected"})
    assert unreasoned.status_code == 422
    assert unreasoned.json()["code"] == "reason_required"
    wrong = await api.post(f"{CASES}/{case.id}/proposal", township, {"outcome": "stopped", "reasons": ["x"]})
    assert wrong.status_code == 422
    assert wrong.json()["code"] == "outcome_not_allowed"
    r = await api.post(f"{CASES}/{case.id}/proposal", township, {"outcome": "rejected", "reasons": ["有未注销机动车"]})
    # A rejection is not posted: straight to confirmation.
    assert r.status_code == 200
    assert r.json()["status"] == "confirmation"
    r = await api.post(f"{CASES}/{case.id}/decision", county_officer, {"decision": "confirm"})
    assert r.status_code == 200
    assert r.json()["outcome"] == "rejected"
    [decision] = await api.outbox_events(subject=f"case/{case.id}", event_type="case-decided")
    assert decision.data["reasons"] == ["有未注销机动车"]
    assert decision.data["effective_month"] is None
    async with api.db.sessions() as s:
        households = await s.scalar(select(func.count()).select_from(Household).where(Household.region_code == village))
    assert households == 0


async def test_confirmation_by_the_township_where_the_county_delegated_it(api: CaseworkApi) -> None:
    broker = Broker(api)
    county = new_county()
    village = new_village(county)
    await set_standards(api, county, dibao_standard_fen=70000, confirmation_delegated=True)
    township, _ = officers(village, county)
    people = family()
    api.clock.set_day(date(2026, 3, 2))
    app = application(village, people, wages_12_months="0.00")
    await broker.deliver(event(verification(app.application_id, people), "application", source="matching"))
    await broker.deliver(event(app, f"application/{app.application_id}"))
    case = await case_of_application(api, app.application_id)
    await api.post(f"{CASES}/{case.id}/investigations", township, investigation_body(date(2026, 3, 2)))
    r = await api.post(f"{CASES}/{case.id}/proposal", township, {"outcome": "approved"})
    assert r.json()["proposed_amount"] == "2100.00"
    api.clock.set_day(date(2026, 3, 12))
    await end_publicity(api)
    r = await api.post(f"{CASES}/{case.id}/decision", township, {"decision": "confirm"})
    assert r.status_code == 200
    assert r.json()["outcome"] == "approved"


async def test_bad_input_changes_nothing(api: CaseworkApi) -> None:
    broker = Broker(api)
    county = new_county()
    village = new_village(county)
    await set_standards(api, county, dibao_standard_fen=70000)
    township, _ = officers(village, county)
    people = family()
    app = application(village, people)
    await broker.deliver(event(verification(app.application_id, people), "application", source="matching"))
    await broker.deliver(event(app, f"application/{app.application_id}"))
    case = await case_of_application(api, app.application_id)
    url = f"{CASES}/{case.id}/investigations"
    one = investigation_body(date(2026, 3, 2))
    one["investigators"] = one["investigators"][:1]
    same = investigation_body(date(2026, 3, 2))
    same["investigators"] = [same["investigators"][0], same["investigators"][0]]
    stranger = investigation_body(
        date(2026, 3, 2),
        verified_income=[{"member_id_number": "110105194912310021", "kind": "wages", "amount_12_months": "1.00"}],
    )
    for body, code in (
        (one, 422),
        (same, 422),
        (stranger, 422),
        ({**investigation_body(date(2026, 3, 2)), "visited_on": "yesterday"}, 422),
        ({**investigation_body(date(2026, 3, 2)), "extra": 1}, 422),
        (investigation_body(date(2099, 1, 1)), 422),
    ):
        r = await api.post(url, township, body)
        assert r.status_code == code, (body, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
    outsider = staff(StaffRole.township_officer, new_village()[:9])
    assert (await api.post(url, outsider, investigation_body(date(2026, 3, 2)))).status_code == 403
    village_assistant = staff(StaffRole.village_assistant, village)
    assert (await api.post(url, village_assistant, investigation_body(date(2026, 3, 2)))).status_code == 403
    assert (await api.get(f"{CASES}/case-nope", township)).status_code == 404
    seen = (await api.get(f"{CASES}/{case.id}", township)).json()
    assert seen["status"] == "investigating"
    assert seen["investigations"] == []
    assert seen["version"] == case.version
