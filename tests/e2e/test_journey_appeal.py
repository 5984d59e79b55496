"""Issue 21: an appeal (复核/申诉) overturning a refusal, every service its own process behind the gateway.

1. A family applies for dibao and goes through verification, the home investigation and the village posting; the county
   refuses it at confirmation, with its reason.
2. The township takes down the family's appeal within the region's days; the officer who refused it may not decide
   the appeal (`appeal_same_officer`).
3. Another county officer overturns the refusal: the application is approved as a decision would approve it, the
   household enters the registry and its entitlement reaches disbursement's ledger, paid from the month after.
"""

from __future__ import annotations

import pytest

from libs.contracts.clock import china_today
from tests.e2e.journey_payment import (
    CASES,
    Cast,
    Decision,
    apply,
    entitlement,
    get_case,
    investigate,
    new_family,
    pass_publicity,
    publicise,
    send_death_register,
    verify,
)
from tests.e2e.journey_recipients import open_county
from tests.e2e.system import WholeSystem

pytestmark = pytest.mark.timeout(600)

APPEALS = "/api/v1/casework/appeals"


async def test_an_appeal_overturns_a_refusal_and_the_family_is_paid(whole_system: WholeSystem) -> None:
    county = await open_county(whole_system, {"benefit_start_offset_months": 1})
    finance = await whole_system.partner("finance", county.code)
    registry = await whole_system.partner("registry_feed", county.code[:2])
    family = new_family(whole_system, county.code, village_no=2)
    assistant = await whole_system.staff("village_assistant", family.village, "村协理员")
    cast = Cast(assistant, county.township, county.officer, finance, registry)
    await send_death_register(whole_system, cast, county.code, china_today())

    # --- 1. Through the procedure, refused at confirmation.
    application = await apply(whole_system, cast, family)
    await verify(cast, family, application)
    await investigate(cast, family, application.case_id, china_today())
    await publicise(cast, family, application.case_id)
    await pass_publicity(whole_system, cast, application.case_id)
    refused = await county.officer.http.post(
        f"{CASES}/{application.case_id}/decision",
        json={"decision": "reject", "reasons": ["家庭收入核算有误，不予批准"]},
    )
    assert refused.status_code == 200, refused.text
    assert (refused.json()["status"], refused.json()["outcome"], refused.json()["household_id"]) == (
        "decided",
        "rejected",
        None,
    )

    # --- 2. The appeal, taken down by the township; the officer who refused may not decide it.
    filed = await county.township.http.post(
        f"{CASES}/{application.case_id}/appeals", json={"statement": "工资收入按全年计算有误，实际已失业半年，申请复核"}
    )
    assert filed.status_code == 201, filed.text
    appeal = filed.json()
    assert (appeal["against_outcome"], appeal["status"], appeal["case_id"]) == (
        "rejected",
        "open",
        application.case_id,
    )
    assert appeal["window_ends_on"] > china_today().isoformat()
    again = await county.township.http.post(f"{CASES}/{application.case_id}/appeals", json={"statement": "再次申请"})
    assert (again.status_code, again.json()["code"]) == (409, "appeal_exists")
    decision = {"outcome": "overturned", "reasons": ["经复核，原核算有误，予以批准"]}
    same = await county.officer.http.post(f"{APPEALS}/{appeal['appeal_id']}/decision", json=decision)
    assert (same.status_code, same.json()["code"]) == (403, "appeal_same_officer")

    # --- 3. Another county officer overturns it: approved, registered, and paid from the month after.
    reviewer = await whole_system.staff("county_officer", county.code, display_name="县民政局 复核人员")
    overturned = await reviewer.http.post(f"{APPEALS}/{appeal['appeal_id']}/decision", json=decision)
    assert overturned.status_code == 200, overturned.text
    assert overturned.json()["status"] == "overturned"
    assert overturned.json()["decided_by"] not in (None, refused.json()["decided_by"])
    case = await get_case(county.officer, application.case_id)
    assert (case["outcome"], case["status"]) == ("approved", "decided")
    assert case["household_id"]
    paid = await entitlement(
        cast,
        Decision(
            case_id=application.case_id,
            application_id=application.application_id,
            household_id=str(case["household_id"]),
            outcome="approved",
            amount=str(case["proposed_amount"]),
            effective_month=str(case["effective_month"]),
            decided_on=china_today(),
            application={},
        ),
    )
    assert (paid.program, paid.status, paid.first_period) == ("dibao", "active", case["effective_month"])
    assert paid.amount == case["proposed_amount"]
    listed = await reviewer.http.get(APPEALS, params={"region_code": county.code})
    assert [(a["appeal_id"], a["status"]) for a in listed.json()["items"]] == [(appeal["appeal_id"], "overturned")]
