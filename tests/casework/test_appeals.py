"""Appeals against refusals, stops and reductions (复核/申诉, issue 21): filed within the region's days, decided by a
county officer who did not make the decision, published as a decision is; bad input changes nothing."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from libs.contracts.events.casework import CaseOutcome
from libs.contracts.staff import StaffRole
from libs.kernel.auth import Principal
from services.casework.appeals.models import CaseAppeal
from services.casework.appeals.rules import AppealStatus, Ground, ground_of, is_late, outcome_after, window_ends_on
from services.casework.case.models import Case, CaseHistory
from services.casework.local_figures.errors import InvalidFigure
from services.casework.local_figures.schemas import read_figures
from tests.casework.flows import CASES, case_of_application, end_publicity, officers, recipient_household
from tests.casework.flows import village_report_review as review_of
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

APPEALS = "/api/v1/casework/appeals"
HOUSEHOLDS = "/api/v1/casework/households"
STATEMENT = {"statement": "申请人称家中收入已减少，请求复核。"}


@pytest.mark.parametrize(
    ("outcome", "amount", "before", "ground"),
    [
        (CaseOutcome.REJECTED, 0, 0, Ground.REFUSAL),
        (CaseOutcome.STOPPED, 0, 130000, Ground.STOP),
        (CaseOutcome.GRADUAL_EXIT, 130000, 130000, Ground.GRADUAL_EXIT),
        (CaseOutcome.ADJUSTED, 60000, 130000, Ground.REDUCTION),
        (CaseOutcome.ADJUSTED, 130000, 130000, None),  # nothing taken away
        (CaseOutcome.ADJUSTED, 140000, 130000, None),  # raised
        (CaseOutcome.APPROVED, 130000, 0, None),
        (CaseOutcome.CONTINUED, 130000, 130000, None),
        (None, 0, 0, None),
    ],
)
def test_what_may_be_appealed(outcome: CaseOutcome | None, amount: int, before: int, ground: Ground | None) -> None:
    assert ground_of(outcome, amount, before) is ground


@pytest.mark.parametrize(
    ("decided", "days", "filed", "late"),
    [
        (date(2026, 3, 11), 60, date(2026, 3, 11), False),  # the same day
        (date(2026, 3, 11), 60, date(2026, 5, 10), False),  # the last day
        (date(2026, 3, 11), 60, date(2026, 5, 11), True),
        (date(2026, 12, 20), 15, date(2027, 1, 4), False),  # across the year
        (date(2026, 12, 20), 15, date(2027, 1, 5), True),
        (date(2028, 2, 14), 15, date(2028, 2, 29), False),  # calendar days, a leap February
    ],
)
def test_appeal_windows(decided: date, days: int, filed: date, late: bool) -> None:
    assert is_late(filed, decided, days) is late
    assert (window_ends_on(decided, days) < filed) is late


@pytest.mark.parametrize(
    ("ground", "status", "decided", "after"),
    [
        (Ground.REFUSAL, AppealStatus.UPHELD, CaseOutcome.REJECTED, CaseOutcome.REJECTED),
        (Ground.REFUSAL, AppealStatus.OVERTURNED, CaseOutcome.REJECTED, CaseOutcome.APPROVED),
        (Ground.STOP, AppealStatus.OVERTURNED, CaseOutcome.STOPPED, CaseOutcome.CONTINUED),
        (Ground.REDUCTION, AppealStatus.OVERTURNED, CaseOutcome.ADJUSTED, CaseOutcome.CONTINUED),
        (Ground.GRADUAL_EXIT, AppealStatus.UPHELD, CaseOutcome.GRADUAL_EXIT, CaseOutcome.GRADUAL_EXIT),
    ],
)
def test_the_outcome_after_an_appeal(
    ground: Ground, status: AppealStatus, decided: CaseOutcome, after: CaseOutcome
) -> None:
    assert outcome_after(ground, status, decided) is after


@pytest.mark.parametrize("days", [14, 181, "60", True])
def test_the_appeal_days_figure_is_bounded(days: object) -> None:
    with pytest.raises(InvalidFigure):
        read_figures({"appeal_days": days})
    assert read_figures({"appeal_days": 30}) == {"appeal_days": 30}


async def _refused(api: CaseworkApi, county: str, village: str, **standards: Any) -> tuple[str, Principal]:
    """An application refused by a county officer on 2026-03-11: (case id, that officer)."""
    broker = Broker(api)
    await set_standards(api, county, dibao_standard_fen=70000, **standards)
    people = family()
    api.clock.set_day(date(2026, 3, 2))
    app = application(village, people)
    await broker.deliver(event(app, f"application/{app.application_id}"))
    await broker.deliver(event(verification(app.application_id, people), "application", source="matching"))
    case = await case_of_application(api, app.application_id)
    township, county_officer = officers(village, county)
    r = await api.post(f"{CASES}/{case.id}/investigations", township, investigation_body(date(2026, 3, 2)))
    assert r.status_code == 201, r.text
    r = await api.post(f"{CASES}/{case.id}/proposal", township, {"outcome": "approved"})
    assert r.status_code == 200, r.text
    api.clock.set_day(date(2026, 3, 11))
    assert await end_publicity(api) >= 1
    r = await api.post(
        f"{CASES}/{case.id}/decision", county_officer, {"decision": "reject", "reasons": ["家庭财产超标"]}
    )
    assert r.status_code == 200, r.text
    return case.id, county_officer


async def _walk_review(
    api: CaseworkApi, case_id: str, village: str, county: str, proposal: dict[str, Any], **inv: object
) -> Principal:
    township, county_officer = officers(village, county)
    r = await api.post(f"{CASES}/{case_id}/investigations", township, investigation_body(api.clock().date(), **inv))
    assert r.status_code == 201, r.text
    assert (await api.post(f"{CASES}/{case_id}/proposal", township, proposal)).status_code == 200
    r = await api.post(f"{CASES}/{case_id}/decision", county_officer, {"decision": "confirm"})
    assert r.status_code == 200, r.text
    return county_officer


async def _state(api: CaseworkApi, case_id: str) -> tuple[object, ...]:
    """What a refused request must leave as it was: the case, its history, its appeals, casework's outbox."""
    async with api.db.sessions() as s:
        case = await s.get(Case, case_id)
        assert case is not None
        history = await s.scalar(select(func.count()).where(CaseHistory.case_id == case_id))
        appeals = (await s.scalars(select(CaseAppeal).where(CaseAppeal.case_id == case_id))).all()
        shown = [(a.status, a.reasons, a.decided_by) for a in appeals]
    events = len(await api.outbox_events())
    return case.status, case.outcome, case.version, case.household_id, history, shown, events


async def test_filed_in_time_and_late_with_the_windows_end(api: CaseworkApi) -> None:
    county = new_county()
    village = new_village(county)
    case_id, _ = await _refused(api, county, village, appeal_days=30)
    township, _ = officers(village, county)
    api.clock.set_day(date(2026, 4, 11))  # 31 days after the decision
    before = await _state(api, case_id)
    late = await api.post(f"{CASES}/{case_id}/appeals", township, STATEMENT)
    assert late.status_code == 422, late.text
    assert (late.json()["code"], late.json()["window_ends_on"]) == ("appeal_late", "2026-04-10")
    assert await _state(api, case_id) == before

    api.clock.set_day(date(2026, 4, 10))  # the last day
    r = await api.post(f"{CASES}/{case_id}/appeals", township, STATEMENT)
    assert r.status_code == 201, r.text
    assert r.headers["x-jiuzhu-audit"] == f"appeal.filed case/{case_id}"
    body = r.json()
    assert (body["status"], body["ground"], body["against_outcome"]) == ("open", "refusal", "rejected")
    assert (body["decided_on"], body["window_ends_on"], body["statement"]) == (
        "2026-03-11",
        "2026-04-10",
        STATEMENT["statement"],
    )
    listed = (await api.get(APPEALS, staff(StaffRole.county_officer, county), {"status": "open"})).json()
    assert [a["appeal_id"] for a in listed["items"]] == [body["appeal_id"]]
    seen = (await api.get(f"{CASES}/{case_id}", township)).json()
    assert seen["history"][-1]["action"] == "appeal_filed"


async def test_bad_filings_change_nothing(api: CaseworkApi) -> None:
    broker, county = Broker(api), new_county()
    village = new_village(county)
    case_id, _ = await _refused(api, county, village)
    township, county_officer = officers(village, county)
    before = await _state(api, case_id)
    url = f"{CASES}/{case_id}/appeals"
    bad: list[tuple[Principal, str, Any, int, str]] = [
        (township, url, {"statement": ""}, 422, "validation_failed"),
        (township, url, {"statement": "  "}, 422, "validation_failed"),
        (township, url, {"statement": "很" * 4001}, 422, "validation_failed"),
        (township, url, {**STATEMENT, "status": "overturned"}, 422, "validation_failed"),
        (township, url, {}, 422, "validation_failed"),
        (township, url, ["申诉"], 422, "validation_failed"),
        (staff(StaffRole.village_assistant, village), url, STATEMENT, 403, "role_required"),
        (staff(StaffRole.township_officer, new_village()[:9]), url, STATEMENT, 403, "outside_jurisdiction"),
        (township, f"{CASES}/no-such-case/appeals", STATEMENT, 404, "case_not_found"),
    ]
    for who, path, body, status, code in bad:
        r = await api.post(path, who, body)
        assert (r.status_code, r.json()["code"]) == (status, code), (body, r.text)
    assert await _state(api, case_id) == before

    # An approval took nothing away; an undecided case has no decision to appeal yet.
    elsewhere = new_county()
    there = new_village(elsewhere)
    household_id, approved = await recipient_household(api, broker, elsewhere, there)
    r = await api.post(f"{CASES}/{approved}/appeals", officers(there, elsewhere)[0], STATEMENT)
    assert (r.status_code, r.json()["code"]) == (422, "not_appealable")
    open_case = await review_of(api, household_id, f"open-{household_id}")
    r = await api.post(f"{CASES}/{open_case}/appeals", officers(there, elsewhere)[0], STATEMENT)
    assert (r.status_code, r.json()["code"], r.json()["status_now"]) == (409, "invalid_status", "investigating")
    async with api.db.sessions() as s:
        assert await s.scalar(select(func.count()).where(CaseAppeal.case_id.in_([approved, open_case]))) == 0

    # One appeal per decision: a second while the first is open is refused.
    assert (await api.post(url, county_officer, STATEMENT)).status_code == 201
    again = await api.post(url, township, STATEMENT)
    assert (again.status_code, again.json()["code"], again.json()["appeal_status"]) == (409, "appeal_exists", "open")


async def test_the_decision_maker_is_refused_and_another_upholds(api: CaseworkApi) -> None:
    county = new_county()
    village = new_village(county)
    case_id, first = await _refused(api, county, village)
    township, other = officers(village, county)
    appeal_id = (await api.post(f"{CASES}/{case_id}/appeals", township, STATEMENT)).json()["appeal_id"]
    url = f"{APPEALS}/{appeal_id}/decision"
    before = await _state(api, case_id)
    bad: list[tuple[Principal, str, Any, int, str]] = [
        (first, url, {"outcome": "upheld", "reasons": ["维持"]}, 403, "appeal_same_officer"),
        (township, url, {"outcome": "upheld", "reasons": ["维持"]}, 403, "role_required"),
        (
            staff(StaffRole.county_officer, new_county()),
            url,
            {"outcome": "upheld", "reasons": ["维持"]},
            403,
            "outside_jurisdiction",
        ),
        (other, url, {"outcome": "withdrawn", "reasons": ["维持"]}, 422, "validation_failed"),
        (other, url, {"outcome": "upheld"}, 422, "validation_failed"),
        (other, url, {"outcome": "upheld", "reasons": []}, 422, "validation_failed"),
        (other, url, {"outcome": "upheld", "reasons": [""]}, 422, "validation_failed"),
        (other, url, {"outcome": "upheld", "reasons": ["理由"] * 11}, 422, "validation_failed"),
        (other, url, {"outcome": "upheld", "reasons": ["长" * 1001]}, 422, "validation_failed"),
        (other, url, {"outcome": "upheld", "reasons": ["维持"], "amount": "9999.00"}, 422, "validation_failed"),
        (
            other,
            f"{APPEALS}/not-an-appeal/decision",
            {"outcome": "upheld", "reasons": ["维持"]},
            422,
            "validation_failed",
        ),
        (
            other,
            f"{APPEALS}/appeal-00000000-0000-0000-0000-000000000000/decision",
            {"outcome": "upheld", "reasons": ["维持"]},
            404,
            "appeal_not_found",
        ),
    ]
    for who, path, body, status, code in bad:
        r = await api.post(path, who, body)
        assert (r.status_code, r.json()["code"]) == (status, code), (body, r.text)
    assert await _state(api, case_id) == before
    assert (await api.get(f"{APPEALS}/{appeal_id}", other)).json()["status"] == "open"

    api.clock.set_day(date(2026, 4, 2))
    r = await api.post(url, other, {"outcome": "upheld", "reasons": ["经复核，家庭财产确实超过规定"]})
    assert r.status_code == 200, r.text
    assert r.headers["x-jiuzhu-audit"] == f"appeal.decided case/{case_id}"
    assert (r.json()["status"], r.json()["effective_month"], r.json()["decided_by"]) == ("upheld", None, other.subject)
    seen = (await api.get(f"{CASES}/{case_id}", township)).json()
    assert (seen["outcome"], seen["household_id"], seen["history"][-1]["action"]) == (
        "rejected",
        None,
        "appeal_upheld",
    )
    *_, decided = await api.outbox_events(subject=f"case/{case_id}", event_type="case-decided")
    assert (decided.data["outcome"], decided.data["reasons"][0]) == ("rejected", "复核（申诉）维持原决定")
    assert decided.data["reasons"][1:] == ["经复核，家庭财产确实超过规定"]
    again = await api.post(url, other, {"outcome": "overturned", "reasons": ["改判"]})
    assert (again.status_code, again.json()["code"]) == (409, "appeal_decided")


async def test_a_refusal_overturned_is_approved_as_a_decision_would(api: CaseworkApi) -> None:
    county = new_county()
    village = new_village(county)
    case_id, _ = await _refused(api, county, village)
    township, other = officers(village, county)
    appeal_id = (await api.post(f"{CASES}/{case_id}/appeals", township, STATEMENT)).json()["appeal_id"]
    api.clock.set_day(date(2026, 4, 20))
    r = await api.post(f"{APPEALS}/{appeal_id}/decision", other, {"outcome": "overturned", "reasons": ["财产认定有误"]})
    assert r.status_code == 200, r.text
    body = r.json()
    household_id = body["household_id"]
    # Paid from the month after the appeal's decision, as an approval is: 700.00 × 3 − 9,600.00 / 12 = 1,300.00.
    assert (body["status"], body["effective_month"]) == ("overturned", "2026-05")
    assert household_id
    hh = (await api.get(f"{HOUSEHOLDS}/{household_id}", township)).json()
    assert hh["status"] == "active"
    assert [(e["program"], e["status"], e["monthly_amount"], e["effective_from"]) for e in hh["entitlements"]] == [
        ("dibao", "active", "1300.00", "2026-05")
    ]
    *_, decided = await api.outbox_events(subject=f"case/{case_id}", event_type="case-decided")
    assert (decided.data["outcome"], decided.data["household_id"], decided.data["effective_month"]) == (
        "approved",
        household_id,
        "2026-05",
    )
    assert decided.data["reasons"] == ["复核（申诉）撤销原决定", "财产认定有误"]
    [ent] = await api.outbox_events(subject=f"household/{household_id}", event_type="entitlement-changed")
    assert (ent.data["status"], ent.data["monthly_amount"], ent.data["case_id"]) == ("active", "1300.00", case_id)
    seen = (await api.get(f"{CASES}/{case_id}", township)).json()
    assert (seen["outcome"], seen["effective_month"], seen["history"][-1]["action"]) == (
        "approved",
        "2026-05",
        "appeal_overturned",
    )


async def test_a_stop_overturned_restores_the_entitlement_from_the_month_it_was_cut(api: CaseworkApi) -> None:
    broker, county = Broker(api), new_county()
    village = new_village(county)
    household_id, _ = await recipient_household(api, broker, county, village)
    api.clock.set_day(date(2026, 6, 10))
    case_id = await review_of(api, household_id, f"stop-{household_id}")
    proposal = {
        "outcome": "stopped",
        "reasons": ["迁出本辖区"],
        "effective_month": "2026-08",
        "stop_ground": "moved_out",
    }
    first = await _walk_review(api, case_id, village, county, proposal)
    township, other = officers(village, county)
    assert (await api.get(f"{HOUSEHOLDS}/{household_id}", township)).json()["status"] == "closed"
    api.clock.set_day(date(2026, 6, 10) + timedelta(days=40))
    r = await api.post(f"{CASES}/{case_id}/appeals", township, STATEMENT)
    assert r.status_code == 201, r.text
    assert r.json()["ground"] == "stop"
    appeal_id = r.json()["appeal_id"]
    refused = await api.post(f"{APPEALS}/{appeal_id}/decision", first, {"outcome": "overturned", "reasons": ["x"]})
    assert (refused.status_code, refused.json()["code"]) == (403, "appeal_same_officer")

    api.clock.set_day(date(2026, 9, 5))
    r = await api.post(
        f"{APPEALS}/{appeal_id}/decision", other, {"outcome": "overturned", "reasons": ["未迁出，户籍仍在本村"]}
    )
    assert r.status_code == 200, r.text
    assert (r.json()["status"], r.json()["effective_month"]) == ("overturned", "2026-08")
    hh = (await api.get(f"{HOUSEHOLDS}/{household_id}", township)).json()
    assert hh["status"] == "active"
    assert hh["next_review_date"]
    assert [(e["status"], e["monthly_amount"], e["effective_from"]) for e in hh["entitlements"]] == [
        ("active", "1300.00", "2026-08")
    ]
    # The months since the stop are covered again: disbursement pays them as arrears.
    *_, stop, restored = await api.outbox_events(subject=f"household/{household_id}", event_type="entitlement-changed")
    assert (stop.data["status"], stop.data["effective_from"]) == ("stopped", "2026-08")
    assert (restored.data["status"], restored.data["monthly_amount"], restored.data["effective_from"]) == (
        "active",
        "1300.00",
        "2026-08",
    )
    assert restored.data["effective_to"] is None
    *_, changed = await api.outbox_events(subject=f"household/{household_id}", event_type="household-changed")
    assert changed.data["household"]["closed"] is False
    *_, decided = await api.outbox_events(subject=f"case/{case_id}", event_type="case-decided")
    assert (decided.data["outcome"], decided.data["effective_month"], decided.data["reasons"][0]) == (
        "continued",
        "2026-08",
        "复核（申诉）撤销原决定",
    )


async def test_a_reduction_overturned_after_a_later_decision_is_refused(api: CaseworkApi) -> None:
    broker, county = Broker(api), new_county()
    village = new_village(county)
    people = family()
    household_id, _ = await recipient_household(api, broker, county, village, people)
    api.clock.set_day(date(2026, 6, 10))
    cut = await review_of(api, household_id, f"cut-{household_id}")
    income = [{"member_id_number": people[0].id_number, "kind": "wages", "amount_12_months": "18000.00"}]
    proposal = {"outcome": "adjusted", "reasons": ["户主务工收入增加"]}
    await _walk_review(api, cut, village, county, proposal, verified_income=income)
    township, other = officers(village, county)
    r = await api.post(f"{CASES}/{cut}/appeals", township, STATEMENT)
    assert (r.status_code, r.json()["ground"]) == (201, "reduction")
    appeal_id = r.json()["appeal_id"]
    # A later review decides again before the appeal: what stands now is that decision, not the cut.
    api.clock.set_day(date(2026, 7, 1))
    later = await review_of(api, household_id, f"later-{household_id}")
    lower = [{"member_id_number": people[0].id_number, "kind": "wages", "amount_12_months": "24000.00"}]
    await _walk_review(
        api, later, village, county, {"outcome": "adjusted", "reasons": ["收入再增"]}, verified_income=lower
    )
    before = await _state(api, cut)
    r = await api.post(f"{APPEALS}/{appeal_id}/decision", other, {"outcome": "overturned", "reasons": ["收入认定有误"]})
    assert (r.status_code, r.json()["code"]) == (409, "decision_superseded")
    assert await _state(api, cut) == before
