"""A review's outcome is held to the rule (seed 000 四, seed 004 二(五)) when proposed and when confirmed: an outcome
the recalculation does not allow is 422 `outcome_against_rule` with the rule's reason and changes nothing; the
proposal offers the suggested outcome."""

from __future__ import annotations

from datetime import date
from typing import Any

from tests.casework.flows import CASES, officers, recipient_household, village_report_review
from tests.casework.support import Broker, CaseworkApi, Person, family, investigation_body, new_county, new_village
from tests.casework.support import set_standards as set_figures


async def _reviewed(api: CaseworkApi, people: list[Person], **inv: Any) -> tuple[str, str, str]:
    """A recipient household (700.00 standard, three members, 800.00 a month) under review after an investigation
    that found `inv`: (case id, village, county)."""
    broker, county = Broker(api), new_county()
    village = new_village(county)
    household_id, _ = await recipient_household(api, broker, county, village, people)
    api.clock.set_day(date(2026, 6, 10))
    case_id = await village_report_review(api, household_id, f"rule-{household_id}")
    township, _ = officers(village, county)
    r = await api.post(f"{CASES}/{case_id}/investigations", township, investigation_body(api.clock().date(), **inv))
    assert r.status_code == 201, r.text
    return case_id, village, county


def _wages(person: Person, yearly: str) -> list[dict[str, str]]:
    return [{"member_id_number": person.id_number, "kind": "wages", "amount_12_months": yearly}]


async def _unchanged(api: CaseworkApi, case_id: str, village: str, county: str, status: str) -> None:
    seen = (await api.get(f"{CASES}/{case_id}", officers(village, county)[0])).json()
    assert (seen["status"], seen["outcome"]) == (status, None)


async def test_a_gradual_exit_below_the_standard_is_refused_with_the_rules_reason(api: CaseworkApi) -> None:
    people = family()
    # Still 800.00 a month for three: 266.67 a head, far below the 700.00 standard.
    case_id, village, county = await _reviewed(api, people, verified_income=_wages(people[0], "9600.00"))
    township, _ = officers(village, county)
    r = await api.post(f"{CASES}/{case_id}/proposal", township, {"outcome": "gradual_exit", "reasons": ["收入增加"]})
    assert r.status_code == 422, r.text
    problem = r.json()
    assert problem["code"] == "outcome_against_rule"
    assert "“渐退”不符合规定" in problem["detail"]
    assert "应为“续保”" in problem["detail"]
    assert (problem["suggested_outcome"], problem["errors"][0]["loc"]) == ("continued", ["body", "outcome"])
    assert "1,300.00" in problem["suggested_reason"]
    await _unchanged(api, case_id, village, county, "township_review")
    seen = (await api.get(f"{CASES}/{case_id}", township)).json()
    assert seen["proposed_outcome"] is None

    # A stop on income alone is refused too; on a ground of its own (moved out) it passes.
    r = await api.post(f"{CASES}/{case_id}/proposal", township, {"outcome": "stopped", "reasons": ["不符合条件"]})
    assert (r.status_code, r.json()["code"]) == (422, "outcome_against_rule")
    assert "须注明停发事由" in r.json()["detail"]
    # A stop ground on anything but a stop is refused.
    wrong = {"outcome": "continued", "stop_ground": "moved_out"}
    r = await api.post(f"{CASES}/{case_id}/proposal", township, wrong)
    assert (r.status_code, r.json()["code"], r.json()["errors"][0]["loc"]) == (
        422,
        "outcome_not_allowed",
        ["body", "stop_ground"],
    )

    # The outcome the rule suggests passes, and the proposal offers the suggestion with its reason.
    r = await api.post(f"{CASES}/{case_id}/proposal", township, {"outcome": "continued"})
    assert r.status_code == 200, r.text
    proposal = r.json()["proposal"]
    assert proposal["suggested_outcome"] == "continued"
    assert "1,300.00" in proposal["suggested_reason"]


async def test_a_stop_on_its_own_ground_passes_whatever_the_income(api: CaseworkApi) -> None:
    people = family()
    case_id, village, county = await _reviewed(api, people, verified_income=_wages(people[0], "9600.00"))
    township, county_officer = officers(village, county)
    body = {"outcome": "stopped", "reasons": ["迁出本辖区"], "stop_ground": "moved_out"}
    r = await api.post(f"{CASES}/{case_id}/proposal", township, body)
    assert r.status_code == 200, r.text
    proposal = r.json()["proposal"]
    assert (proposal["stop_ground"], proposal["suggested_outcome"]) == ("moved_out", "continued")
    r = await api.post(f"{CASES}/{case_id}/decision", county_officer, {"decision": "confirm"})
    assert (r.status_code, r.json()["outcome"]) == (200, "stopped")


async def test_above_one_and_a_half_times_the_exit_needs_new_work(api: CaseworkApi) -> None:
    people = family()
    # 48,000.00 a year: 1,333.33 a head, above 1.5 × 700.00 = 1,050.00, and no one newly at work: stop.
    case_id, village, county = await _reviewed(api, people, verified_income=_wages(people[0], "48000.00"))
    township, _ = officers(village, county)
    exit_ = {"outcome": "gradual_exit", "reasons": ["收入超过标准"]}
    r = await api.post(f"{CASES}/{case_id}/proposal", township, exit_)
    assert (r.status_code, r.json()["code"], r.json()["suggested_outcome"]) == (422, "outcome_against_rule", "stopped")
    assert "非因就业" in r.json()["suggested_reason"]
    await _unchanged(api, case_id, village, county, "township_review")

    # The head found work (the investigation says so): the same income earns the gradual exit.
    people = family()
    found = [{"member_id_number": people[0].id_number, "employed": True}]
    case_id, village, county = await _reviewed(
        api, people, verified_income=_wages(people[0], "48000.00"), members=found
    )
    r = await api.post(f"{CASES}/{case_id}/proposal", officers(village, county)[0], exit_)
    assert r.status_code == 200, r.text
    assert r.json()["proposal"]["suggested_outcome"] == "gradual_exit"


async def test_the_countys_confirmation_holds_the_rule_as_it_stands_that_day(api: CaseworkApi) -> None:
    people = family()
    # 28,800.00 a year: 800.00 a head, between 700.00 and 1.5 × 700.00: the gradual exit.
    case_id, village, county = await _reviewed(api, people, verified_income=_wages(people[0], "28800.00"))
    township, county_officer = officers(village, county)
    r = await api.post(f"{CASES}/{case_id}/proposal", township, {"outcome": "gradual_exit", "reasons": ["收入增加"]})
    assert r.status_code == 200, r.text
    # The standard is raised to 900.00 before the county confirms: 800.00 a head is below it again.
    await set_figures(api, county, date(2026, 6, 11), dibao_standard_fen=90000)
    api.clock.set_day(date(2026, 6, 12))
    r = await api.post(f"{CASES}/{case_id}/decision", county_officer, {"decision": "confirm"})
    assert r.status_code == 422, r.text
    assert (r.json()["code"], r.json()["suggested_outcome"]) == ("outcome_against_rule", "adjusted")
    await _unchanged(api, case_id, village, county, "confirmation")
