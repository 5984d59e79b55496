"""Reviews end in continue, adjust, gradual exit or stop (seed 000 §4); a head's death closes the household and
opens a successor (停旧建新); the household as it stood on any past date stays readable (DOMAIN.md §4, §11)."""

from __future__ import annotations

from datetime import date

from libs.contracts.staff import StaffRole
from tests.casework.flows import CASES, officers, recipient_household, village_report_review
from tests.casework.support import (
    Broker,
    CaseworkApi,
    family,
    investigation_body,
    new_county,
    new_village,
    set_standards,
    staff,
)

HOUSEHOLDS = "/api/v1/casework/households"


async def _walk(
    api: CaseworkApi, case_id: str, village: str, county: str, proposal: dict[str, object], **inv: object
) -> dict[str, object]:
    township, county_officer = officers(village, county)
    r = await api.post(f"{CASES}/{case_id}/investigations", township, investigation_body(api.clock().date(), **inv))
    assert r.status_code == 201, r.text
    r = await api.post(f"{CASES}/{case_id}/proposal", township, proposal)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "confirmation"  # reviews are not posted again
    r = await api.post(f"{CASES}/{case_id}/decision", county_officer, {"decision": "confirm"})
    assert r.status_code == 200, r.text
    body: dict[str, object] = r.json()
    return body


async def test_adjust_after_income_rose(api: CaseworkApi) -> None:
    broker, county = Broker(api), new_county()
    village = new_village(county)
    people = family()
    household_id, _ = await recipient_household(api, broker, county, village, people)
    api.clock.set_day(date(2026, 6, 10))
    case_id = await village_report_review(api, household_id, f"adjust-{household_id}")
    income = [{"member_id_number": people[0].id_number, "kind": "wages", "amount_12_months": "18000.00"}]
    decided = await _walk(
        api, case_id, village, county, {"outcome": "adjusted", "reasons": ["户主务工收入增加"]}, verified_income=income
    )
    # 700.00 × 3 − 18,000.00 / 12 = 600.00 from the month after the decision.
    assert (decided["outcome"], decided["proposed_amount"], decided["effective_month"]) == (
        "adjusted",
        "600.00",
        "2026-07",
    )
    ents = await api.outbox_events(subject=f"household/{household_id}", event_type="entitlement-changed")
    assert [(e.data["monthly_amount"], e.data["effective_from"]) for e in ents] == [
        ("1300.00", "2026-04"),
        ("600.00", "2026-07"),
    ]


async def test_adjusting_without_a_reason_or_beyond_eligibility_is_refused(api: CaseworkApi) -> None:
    broker, county = Broker(api), new_county()
    village = new_village(county)
    people = family()
    household_id, _ = await recipient_household(api, broker, county, village, people)
    case_id = await village_report_review(api, household_id, f"refuse-{household_id}")
    township, _ = officers(village, county)
    rich = [{"member_id_number": people[0].id_number, "kind": "wages", "amount_12_months": "60000.00"}]
    inv = await api.post(
        f"{CASES}/{case_id}/investigations", township, investigation_body(api.clock().date(), verified_income=rich)
    )
    assert inv.status_code == 201
    assert (await api.post(f"{CASES}/{case_id}/proposal", township, {"outcome": "adjusted"})).json()[
        "code"
    ] == "reason_required"
    r = await api.post(f"{CASES}/{case_id}/proposal", township, {"outcome": "adjusted", "reasons": ["收入增加"]})
    assert r.status_code == 422
    assert r.json()["code"] == "not_eligible"
    assert (await api.post(f"{CASES}/{case_id}/proposal", township, {"outcome": "approved"})).json()[
        "code"
    ] == "outcome_not_allowed"
    seen = (await api.get(f"{CASES}/{case_id}", township)).json()
    assert (seen["status"], seen["proposed_outcome"]) == ("township_review", None)


async def test_gradual_exit_pays_the_regions_schedule_then_stops(api: CaseworkApi) -> None:
    broker, county = Broker(api), new_county()
    village = new_village(county)
    people = family()
    standards = {"dibao_standard_fen": 70000, "gradual_exit_schedule_pct": [100, 100, 80, 80, 60, 60]}
    household_id, _ = await recipient_household(api, broker, county, village, people, standards=standards)
    api.clock.set_day(date(2026, 6, 10))
    case_id = await village_report_review(api, household_id, f"exit-{household_id}")
    # 800.00 per head: above the standard, below 1.5 × (seed 004 §5).
    income = [{"member_id_number": people[0].id_number, "kind": "wages", "amount_12_months": "28800.00"}]
    decided = await _walk(
        api,
        case_id,
        village,
        county,
        {"outcome": "gradual_exit", "reasons": ["人均收入超过低保标准未达1.5倍"]},
        verified_income=income,
    )
    assert decided["outcome"] == "gradual_exit"
    ents = await api.outbox_events(subject=f"household/{household_id}", event_type="entitlement-changed")
    steps = [
        (e.data["status"], e.data["effective_from"], e.data["effective_to"], e.data["monthly_amount"]) for e in ents[1:]
    ]
    assert steps == [
        ("gradual_exit", "2026-07", "2026-08", "1300.00"),
        ("gradual_exit", "2026-09", "2026-10", "1040.00"),
        ("gradual_exit", "2026-11", "2026-12", "780.00"),
        ("stopped", "2027-01", None, "0.00"),
    ]
    hh = (await api.get(f"{HOUSEHOLDS}/{household_id}", officers(village, county)[0])).json()
    [ent] = hh["entitlements"]
    assert (ent["status"], ent["effective_to"], len(ent["schedule"])) == ("gradual_exit", "2026-12", 3)


async def test_stop_closes_a_household_with_no_other_program(api: CaseworkApi) -> None:
    broker, county = Broker(api), new_county()
    village = new_village(county)
    household_id, _ = await recipient_household(api, broker, county, village)
    api.clock.set_day(date(2026, 6, 10))
    case_id = await village_report_review(api, household_id, f"stop-{household_id}")
    decided = await _walk(
        api,
        case_id,
        village,
        county,
        {"outcome": "stopped", "reasons": ["迁出本辖区"], "effective_month": "2026-08", "stop_ground": "moved_out"},
    )
    assert (decided["outcome"], decided["effective_month"]) == ("stopped", "2026-08")
    hh = (await api.get(f"{HOUSEHOLDS}/{household_id}", officers(village, county)[0])).json()
    assert hh["status"] == "closed"
    assert hh["entitlements"][0]["status"] == "stopped"
    changed = await api.outbox_events(subject=f"household/{household_id}", event_type="household-changed")
    assert changed[-1].data["household"]["closed"] is True
    assert changed[-1].data["changes"][-1]["kind"] == "closed"
    [*_, stop] = await api.outbox_events(subject=f"household/{household_id}", event_type="entitlement-changed")
    assert (stop.data["status"], stop.data["effective_from"]) == ("stopped", "2026-08")


async def test_the_heads_death_opens_a_successor_and_the_past_stays_readable(api: CaseworkApi) -> None:
    broker, county = Broker(api), new_county()
    village = new_village(county)
    people = family()
    household_id, _ = await recipient_household(api, broker, county, village, people)
    township = staff(StaffRole.township_officer, village[:9])
    api.clock.set_day(date(2026, 6, 10))
    case_id = await village_report_review(api, household_id, f"death-{household_id}")
    head = people[0]
    decided = await _walk(
        api,
        case_id,
        village,
        county,
        {
            "outcome": "adjusted",
            "reasons": ["户主死亡"],
            "members_removed": [{"id_number": head.id_number, "reason": "死亡"}],
        },
    )
    assert decided["outcome"] == "adjusted"
    old = (await api.get(f"{HOUSEHOLDS}/{household_id}", township)).json()
    assert old["status"] == "closed"
    assert old["successor_id"]
    new = (await api.get(f"{HOUSEHOLDS}/{old['successor_id']}", township)).json()
    assert new["predecessor_id"] == household_id
    assert new["status"] == "active"
    # The spouse heads the successor; two members remain: 700.00 × 2 = 1,400.00 (no income left).
    assert [m["relation"] for m in new["members"]] == ["head", "child"]
    assert [(e["program"], e["monthly_amount"], e["effective_from"]) for e in new["entitlements"]] == [
        ("dibao", "1400.00", "2026-07")
    ]
    opened = await api.outbox_events(subject=f"household/{new['household_id']}", event_type="household-changed")
    assert opened[0].data["predecessor_household_id"] == household_id
    assert opened[0].data["changes"][0]["kind"] == "successor_opened"

    # As it stood: three members on the day of approval, closed after the decision.
    before = (await api.get(f"{HOUSEHOLDS}/{household_id}", township, {"as_of": "2026-03-20"})).json()
    assert (before["status"], len(before["members"]), before["as_of"]) == ("active", 3, "2026-03-20")
    after = (await api.get(f"{HOUSEHOLDS}/{household_id}", township, {"as_of": "2026-06-10"})).json()
    assert after["status"] == "closed"
    assert len(after["members"]) == 2
    missing = await api.get(f"{HOUSEHOLDS}/{household_id}", township, {"as_of": "2026-01-01"})
    assert missing.status_code == 404
    assert missing.json()["code"] == "not_yet_registered"
    versions = (await api.get(f"{HOUSEHOLDS}/{household_id}/versions", township)).json()
    assert [v["changes"][-1] for v in versions] == ["member_added", "closed"]
    assert (await api.get(f"{HOUSEHOLDS}/{household_id}", township, {"as_of": "not-a-date"})).status_code == 422


async def test_continue_keeps_the_amount_and_moves_the_review_date(api: CaseworkApi) -> None:
    broker, county = Broker(api), new_county()
    village = new_village(county)
    await set_standards(api, county, review_months_b=6)
    people = family()
    household_id, _ = await recipient_household(api, broker, county, village, people)
    api.clock.set_day(date(2026, 9, 1))
    case_id = await village_report_review(api, household_id, f"continue-{household_id}")
    # The visit finds the wages it was approved with: the amount is unchanged, so the rule allows continuing.
    wages = [{"member_id_number": people[0].id_number, "kind": "wages", "amount_12_months": "9600.00"}]
    decided = await _walk(api, case_id, village, county, {"outcome": "continued"}, verified_income=wages)
    assert (decided["outcome"], decided["proposed_amount"]) == ("continued", "1300.00")
    hh = (await api.get(f"{HOUSEHOLDS}/{household_id}", officers(village, county)[0])).json()
    assert hh["next_review_date"] == "2027-04-01"
    # Nothing changed for the household or its payments.
    assert len(await api.outbox_events(subject=f"household/{household_id}", event_type="entitlement-changed")) == 1
