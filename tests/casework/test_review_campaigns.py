"""Annual review campaigns (年度复核, seed 001 三(五), issue 21): a county opens the year's reviews with a window; a
repeat opens nothing twice, a household under review is skipped, progress is counted by township; in a simplified
campaign a continuing household is checked at the desk and posted for confirmation (一榜公示) before it is decided."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from libs.contracts.events.casework import CaseOutcome
from libs.contracts.staff import StaffRole
from services.casework.campaigns import service as campaigns
from services.casework.campaigns.models import ReviewCampaign
from services.casework.campaigns.rules import add_months, window_violations
from services.casework.case.models import Case
from services.casework.case.rules import Action, CaseStatus, next_status
from tests.casework.flows import CASES, end_publicity, officers, recipient_household, village_report_review
from tests.casework.support import (
    Broker,
    CaseworkApi,
    family,
    investigation_body,
    new_county,
    new_village,
    staff,
)

CAMPAIGNS = "/api/v1/casework/review-campaigns"
JUNE = date(2026, 6, 1)

# ---------------------------------------------------------------------------------------------------------------
# Pure rules


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 3, 1), 2, date(2026, 5, 1)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
    ],
)
def test_add_months_keeps_the_day_or_takes_the_months_last(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    ("year", "start", "end", "fields"),
    [
        (2026, date(2026, 3, 1), date(2026, 4, 30), []),  # two months
        (2026, date(2026, 3, 1), date(2026, 5, 31), []),  # three months
        (2025, date(2025, 12, 20), date(2026, 3, 10), []),  # across the new year
        (2026, date(2026, 3, 1), date(2026, 4, 29), ["window_end"]),  # shorter than two months
        (2026, date(2026, 3, 1), date(2026, 6, 1), ["window_end"]),  # longer than three
        (2026, date(2026, 3, 1), date(2026, 2, 1), ["window_end", "window_end"]),  # before its start: over too
        (2027, date(2026, 3, 1), date(2026, 4, 30), ["window_start"]),  # not in the campaign's year
        (2026, date(2026, 1, 1), date(2026, 2, 28), ["window_end"]),  # over before today
        (2026, date(2026, 6, 2), date(2026, 8, 1), ["window_start"]),  # more than three months ahead
    ],
)
def test_the_window_lasts_two_to_three_months_in_its_year(year: int, start: date, end: date, fields: list[str]) -> None:
    today = date(2026, 3, 1)
    assert [f for f, _ in window_violations(year, start, end, today)] == fields


@pytest.mark.parametrize(
    ("outcome", "simplified", "expected"),
    [
        (CaseOutcome.CONTINUED, True, CaseStatus.PUBLICITY),  # the confirmation posting
        (CaseOutcome.CONTINUED, False, CaseStatus.CONFIRMATION),
        (CaseOutcome.ADJUSTED, True, CaseStatus.CONFIRMATION),  # other outcomes: the normal procedure
        (CaseOutcome.STOPPED, True, CaseStatus.CONFIRMATION),
        (CaseOutcome.APPROVED, False, CaseStatus.PUBLICITY),
    ],
)
def test_only_continuing_in_a_simplified_campaign_is_posted_for_confirmation(
    outcome: CaseOutcome, simplified: bool, expected: CaseStatus
) -> None:
    got = next_status(Action.PROPOSE, CaseStatus.TOWNSHIP_REVIEW, outcome=outcome, confirmation_posting=simplified)
    assert got is expected


# ---------------------------------------------------------------------------------------------------------------
# The API


def _body(county: str, *, simplified: bool = False, **over: Any) -> dict[str, Any]:
    body = {
        "county_code": county,
        "year": 2026,
        "window_start": JUNE.isoformat(),
        "window_end": "2026-07-31",
        "simplified": simplified,
    }
    return body | over


# The head of each household the tests make, by household id: a review finds the wages it was approved with.
_HEADS: dict[str, str] = {}


async def _households(api: CaseworkApi, n: int, townships: int = 1) -> tuple[str, list[str], list[str]]:
    """`n` dibao households of three (1,300.00 a month) of a new county, over `townships` villages."""
    broker, county = Broker(api), new_county()
    villages = [new_village(county) for _ in range(townships)]
    # `recipient_household` sets a figure of the county each time: the first the standard, the others defaults.
    figures: list[dict[str, Any]] = [{"dibao_standard_fen": 70000}, {"publicity_days": 7}, {"review_months_c": 3}]
    households = []
    for i in range(n):
        people = family()
        household_id, _ = await recipient_household(
            api, broker, county, villages[i % townships], people, standards=figures[i]
        )
        _HEADS[household_id] = people[0].id_number
        households.append(household_id)
    api.clock.set_day(JUNE)
    return county, villages, households


def _visit(household_id: str, **extra: Any) -> dict[str, Any]:
    """An investigation that finds the household as it was approved: nothing changed."""
    wages = [{"member_id_number": _HEADS[household_id], "kind": "wages", "amount_12_months": "9600.00"}]
    return investigation_body(JUNE, verified_income=wages, **extra)


async def _campaign_cases(api: CaseworkApi, campaign_id: str) -> list[Case]:
    async with api.db.sessions() as s:
        rows = await s.scalars(select(Case).where(Case.campaign_id == campaign_id).order_by(Case.household_id))
        return list(rows.all())


async def _campaign_count(api: CaseworkApi, county: str) -> int:
    async with api.db.sessions() as s:
        stmt = select(func.count()).select_from(ReviewCampaign).where(ReviewCampaign.county_code == county)
        return int(await s.scalar(stmt) or 0)


async def test_bad_input_is_refused_and_changes_nothing(api: CaseworkApi) -> None:
    county, _villages, _ = await _households(api, 1)
    officer = staff(StaffRole.county_officer, county)
    for over in (
        {"window_end": "2026-07-15"},
        {"window_end": "2026-09-30"},
        {"year": 2027},
        {"window_start": "2026-01-01", "window_end": "2026-02-28"},
    ):
        r = await api.post(CAMPAIGNS, officer, _body(county, **over))
        assert r.status_code == 422, r.text
        assert r.json()["code"] == "campaign_window_invalid"
    for over in ({"year": 1800}, {"window_end": "9999-01-01"}, {"county_code": "1404"}, {"extra": 1}):
        r = await api.post(CAMPAIGNS, officer, _body(county, **over))
        assert r.status_code == 422, r.text
    other = staff(StaffRole.county_officer, new_county())
    assert (await api.post(CAMPAIGNS, other, _body(county))).status_code == 403
    township = staff(StaffRole.township_officer, county + "001")
    assert (await api.post(CAMPAIGNS, township, _body(county))).status_code == 403
    assert await _campaign_count(api, county) == 0
    r = await api.get(f"{CAMPAIGNS}/campaign-{'0' * 8}-0000-0000-0000-{'0' * 12}", officer)
    assert (r.status_code, r.json()["code"]) == (404, "campaign_not_found")


async def test_a_campaign_opens_each_review_once_skips_those_under_review_and_counts_progress(
    api: CaseworkApi,
) -> None:
    county, villages, households = await _households(api, 3, townships=2)
    # One household is under review already (a village report): the campaign leaves it to that review.
    busy = await village_report_review(api, households[0], f"busy-{households[0]}")
    officer = staff(StaffRole.county_officer, county)
    r = await api.post(CAMPAIGNS, officer, _body(county))
    assert r.status_code == 202, r.text
    campaign_id = r.json()["campaign_id"]

    cases = await _campaign_cases(api, campaign_id)
    assert sorted(c.household_id or "" for c in cases) == sorted(households[1:])
    assert {(c.kind, c.trigger, c.status, c.due_date, c.simplified_review) for c in cases} == {
        ("periodic", "campaign", "investigating", date(2026, 7, 31), False)
    }
    r = await api.get(f"{CAMPAIGNS}/{campaign_id}", officer)
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["status"], body["households"], body["skipped"]) == ("opened", 3, 1)
    assert body["total"] == {"opened": 2, "decided": 0, "cancelled": 0, "open": 2, "overdue": 0}
    assert set(body["by_township"]) == {villages[1][:9], villages[0][:9]}

    # The same campaign again (and the worker's job) opens nothing twice.
    again = await api.post(CAMPAIGNS, officer, _body(county))
    assert (again.status_code, again.json()["campaign_id"]) == (200, campaign_id)
    assert api.ctx is not None
    await campaigns.advance(api.ctx, campaign_id)
    assert len(await _campaign_cases(api, campaign_id)) == 2
    assert await _campaign_count(api, county) == 1
    # Another window for the same county and year is a conflict, not a second campaign.
    r = await api.post(CAMPAIGNS, officer, _body(county, window_end="2026-08-31"))
    assert (r.status_code, r.json()["code"]) == (409, "campaign_exists")

    # One review decided in the window, the other overdue after it; the city reads the same progress.
    township, county_officer = officers(villages[1], county)
    case_id = next(c.id for c in cases if c.household_id == households[1])
    r = await api.post(f"{CASES}/{case_id}/investigations", township, _visit(households[1]))
    assert r.status_code == 201, r.text
    r = await api.post(f"{CASES}/{case_id}/proposal", township, {"outcome": "continued"})
    assert (r.status_code, r.json()["status"]) == (200, "confirmation"), r.text
    r = await api.post(f"{CASES}/{case_id}/decision", county_officer, {"decision": "confirm"})
    assert r.status_code == 200, r.text
    api.clock.set_day(date(2026, 8, 3))
    r = await api.get(f"{CAMPAIGNS}/{campaign_id}", staff(StaffRole.city_supervisor, county[:4]))
    assert r.status_code == 200, r.text
    assert r.json()["total"] == {"opened": 2, "decided": 1, "cancelled": 0, "open": 1, "overdue": 1}
    assert r.json()["by_township"][villages[1][:9]]["decided"] == 1
    assert busy not in {c.id for c in await _campaign_cases(api, campaign_id)}


async def test_a_campaign_before_its_window_waits_then_resumes_chunk_by_chunk(api: CaseworkApi) -> None:
    county, _villages, households = await _households(api, 3)
    api.clock.set_day(date(2026, 5, 20))
    officer = staff(StaffRole.county_officer, county)
    r = await api.post(CAMPAIGNS, officer, _body(county))
    assert (r.status_code, r.json()["status"]) == (202, "scheduled"), r.text
    campaign_id = r.json()["campaign_id"]
    assert await _campaign_cases(api, campaign_id) == []

    api.clock.set_day(JUNE)
    assert api.ctx is not None
    # A runner stopped after one chunk of one household; the worker's job picks the campaign up and goes on.
    await campaigns.advance(api.ctx, campaign_id, chunk=1, max_chunks=1)
    assert len(await _campaign_cases(api, campaign_id)) == 1
    async with api.db.sessions() as s:
        due = await campaigns.due_to_run(s, api.clock() + timedelta(minutes=2), timedelta(minutes=1))
    assert campaign_id in due
    await campaigns.advance(api.ctx, campaign_id, chunk=1)
    await campaigns.advance(api.ctx, campaign_id, chunk=1)
    assert sorted(c.household_id or "" for c in await _campaign_cases(api, campaign_id)) == sorted(households)
    r = await api.get(f"{CAMPAIGNS}/{campaign_id}", officer)
    assert (r.json()["status"], r.json()["total"]["opened"], r.json()["skipped"]) == ("opened", 3, 0)


async def test_a_simplified_continuation_is_checked_at_the_desk_posted_for_confirmation_and_decided(
    api: CaseworkApi,
) -> None:
    county, villages, _households_made = await _households(api, 2)
    village = villages[0]
    officer = staff(StaffRole.county_officer, county)
    r = await api.post(CAMPAIGNS, officer, _body(county, simplified=True))
    assert r.status_code == 202, r.text
    campaign_id = r.json()["campaign_id"]
    [(first, first_household), (second, second_household)] = [
        (c.id, c.household_id or "") for c in await _campaign_cases(api, campaign_id)
    ]
    township, county_officer = officers(village, county)

    def desk(household_id: str) -> dict[str, Any]:
        return _visit(household_id, simplified=True, findings="书面核查：家庭情况无变化", neighbour_visits="")

    # A desk check supports continuing only: another outcome needs a home visit.
    r = await api.post(f"{CASES}/{second}/investigations", township, desk(second_household))
    assert r.status_code == 201, r.text
    r = await api.post(f"{CASES}/{second}/proposal", township, {"outcome": "stopped", "reasons": ["外出务工"]})
    assert (r.status_code, r.json()["code"]) == (422, "home_visit_required")

    r = await api.post(f"{CASES}/{first}/investigations", township, desk(first_household))
    assert r.status_code == 201, r.text
    r = await api.post(f"{CASES}/{first}/proposal", township, {"outcome": "continued"})
    assert r.status_code == 200, r.text
    assert (r.json()["status"], r.json()["publicity_ends_on"]) == ("publicity", "2026-06-08")
    assert r.json()["investigations"][0]["simplified"] is True

    # The village posting lists the continuing household for confirmation (一榜公示) beside the standing list.
    r = await api.get(f"/api/v1/casework/postings/{village}", staff(StaffRole.village_assistant, village))
    assert r.status_code == 200, r.text
    stages = [(i["stage"], i["monthly_amount"], i["ends_on"]) for i in r.json()["items"]]
    assert ("continuing", "1300.00", "2026-06-08") in stages
    assert "proposed" not in {s for s, _, _ in stages}

    api.clock.set_day(date(2026, 6, 9))
    assert await end_publicity(api) >= 1
    r = await api.post(f"{CASES}/{first}/decision", county_officer, {"decision": "confirm"})
    assert r.status_code == 200, r.text
    assert (r.json()["status"], r.json()["outcome"]) == ("decided", "continued")
    r = await api.get(f"{CAMPAIGNS}/{campaign_id}", officer)
    assert r.json()["total"] == {"opened": 2, "decided": 1, "cancelled": 0, "open": 1, "overdue": 0}


async def test_a_desk_check_outside_a_simplified_campaign_or_after_an_objection_is_refused(
    api: CaseworkApi,
) -> None:
    county, villages, households = await _households(api, 2)
    village = villages[0]
    township, _ = officers(village, county)
    desk = _visit(households[0], simplified=True)
    # A review not opened by a simplified campaign: the home visit stays.
    other = await village_report_review(api, households[1], f"desk-{households[1]}")
    r = await api.post(f"{CASES}/{other}/investigations", township, _visit(households[1], simplified=True))
    assert (r.status_code, r.json()["code"]) == (422, "simplified_review_not_allowed")
    async with api.db.sessions() as s:
        assert (await s.get(Case, other)) is not None
        assert (await s.get(Case, other)).status == CaseStatus.INVESTIGATING  # type: ignore[union-attr]

    r = await api.post(CAMPAIGNS, staff(StaffRole.county_officer, county), _body(county, simplified=True))
    assert r.status_code == 202, r.text
    [case] = await _campaign_cases(api, r.json()["campaign_id"])
    assert case.household_id == households[0]
    assert (await api.post(f"{CASES}/{case.id}/investigations", township, desk)).status_code == 201
    assert (await api.post(f"{CASES}/{case.id}/proposal", township, {"outcome": "continued"})).status_code == 200
    objection = {"summary": "邻居反映家中新购车辆", "raised_by": "村民代表"}
    r = await api.post(f"{CASES}/{case.id}/objections", township, objection)
    assert (r.status_code, r.json()["status"]) == (200, "investigating"), r.text
    r = await api.post(f"{CASES}/{case.id}/investigations", township, desk)
    assert (r.status_code, r.json()["code"]) == (422, "simplified_review_not_allowed")
    r = await api.post(f"{CASES}/{case.id}/investigations", township, _visit(households[0]))
    assert r.status_code == 201, r.text
