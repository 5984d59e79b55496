"""12345 hotline journeys through the whole system (issue 8, scenarios C and D), every service its own process behind
the gateway, events over the real broker.

C. A hotline platform with a callback (a real HTTP server of this test that checks signatures) posts a complaint
   about a recipient household; the township investigates and upholds it with written feedback; complaints publishes
   `complaint-substantiated`, casework opens a review of that household, the township proposes and the county
   confirms a lower amount; the platform receives the signed result exactly once, the same body its GET answers.
D. A hotline request for help becomes intake's lead for the township (`help-requested`); the village assistant opens
   an application from it and the township accepts it: the lead's source is the hotline, and lead and application
   point at each other.
"""

from __future__ import annotations

from typing import Any

from services.complaints.push.signing import DELIVERY_HEADER, SIGNATURE_HEADER, verify
from tests.e2e.journey_hotline import (
    APPLICATIONS,
    BROKER_WAIT,
    CASES,
    COMPLAINTS,
    DELIVERIES,
    HOUSEHOLDS,
    LEADS,
    WORK_ORDERS,
    Place,
    call,
    call_list,
    complaint_work_order,
    fresh_phone,
    help_work_order,
    import_recipient_household,
    investigation,
    masked,
    now_day,
    person,
    set_dibao_standard,
    work_order_no,
)
from tests.e2e.system import Actor, WholeSystem
from tests.support.applications import application_body, member
from tests.support.hotline_platform import fake_platform
from tests.support.waiting import wait_until

# The county's dibao standard; the imported household of two was paid 1,400.00 a month.
STANDARD, PAID = "700.00", "1400.00"
# Found by the review: the head earns 6,000.00 in 12 months, so 700.00 × 2 − 6,000.00 / 12 = 900.00.
HEAD_WAGES, ADJUSTED = "6000.00", "900.00"


async def _complaint_cases(township: Actor, household_id: str) -> list[dict[str, Any]]:
    params = {"household_id": household_id, "trigger": "complaint"}
    return list((await call(township, "GET", CASES, params=params))["items"])


async def _deliveries(hotline: Actor, number: str) -> list[dict[str, Any]]:
    return list((await call(hotline, "GET", DELIVERIES, params={"work_order_no": number}))["items"])


async def test_a_substantiated_hotline_complaint_adjusts_the_household_and_the_platform_hears_once(
    whole_system: WholeSystem,
) -> None:
    place = Place.fresh()
    county_officer = await whole_system.staff("county_officer", place.county, "县民政局 审批")
    township = await whole_system.staff("township_officer", place.township, "乡镇民政办 经办")
    head = person(place.county, "1984-05-16", "711", "马国强")
    child = person(place.county, "2013-09-02", "722", "马小雨")
    caller_phone = fresh_phone(place.county)
    whole_system.remember_personal_data([caller_phone])
    await set_dibao_standard(county_officer, place.county, STANDARD)
    household = await import_recipient_household(whole_system, county_officer, place, head, child, PAID)
    household_id = str(household["household_id"])
    assert [(e["program"], e["monthly_amount"]) for e in household["entitlements"]] == [("dibao", PAID)]

    async with fake_platform() as platform:
        hotline = await whole_system.partner("hotline", place.county, callback_url=platform.url)
        assert hotline.client_secret is not None
        number = work_order_no()

        # The platform posts the caller's complaint about the household's head.
        body = complaint_work_order(number, place, caller_phone, about=head)
        received = await call(hotline, "POST", WORK_ORDERS, 201, json=body)
        assert (received["work_order_no"], received["status"]) == (number, "received")
        complaint_id = str(received["complaint_id"])

        # The township finds it in its ledger, assigned to it, investigates and upholds it with written feedback.
        item = await call(township, "GET", f"{COMPLAINTS}/{complaint_id}")
        assert (item["source"], item["status"], item["assigned_unit"]) == ("hotline", "assigned", place.township)
        assert item["subject"]["id_number"] == masked(head.id_number)
        note = {"text": "入户走访并向县城物流公司核实：户主自 2026 年 3 月起在该公司做装卸工，月工资约 500 元。",
                "visited_on": now_day()}  # fmt: skip
        await call(township, "POST", f"{COMPLAINTS}/{complaint_id}/notes", 201, json=note)
        resolution = {
            "finding": "substantiated",
            "issue": "wrongful_inclusion",
            "reply": "经入户核查并向用工单位核实，反映情况属实：户主有务工收入未申报，已提请复核该户低保待遇。",
            "feedback": {"text": "核查结果经 12345 平台答复来电人。", "method": "hotline_reply"},
        }
        resolved = await call(township, "POST", f"{COMPLAINTS}/{complaint_id}/resolve", json=resolution)
        assert (resolved["status"], resolved["finding"]) == ("resolved", "substantiated")

        # complaint-substantiated → casework opens one review of the household, triggered by this complaint.
        cases = await wait_until(lambda: _complaint_cases(township, household_id), bool, timeout=BROKER_WAIT, every=0.5)
        [summary] = cases
        assert (summary["kind"], summary["trigger"], summary["status"]) == ("triggered", "complaint", "investigating")
        case_url = f"{CASES}/{summary['case_id']}"
        case = await call(township, "GET", case_url)
        assert number in case["trigger_summary"]

        # The township investigates and proposes the lower amount; the county confirms it (reviews are not posted).
        income = [{"member_id_number": head.id_number, "kind": "wages", "amount_12_months": HEAD_WAGES}]
        await call(
            township, "POST", f"{case_url}/investigations", 201, json=investigation(now_day(), verified_income=income)
        )
        proposal = {"outcome": "adjusted", "reasons": ["户主有务工收入未申报，按核实收入重新核定保障金额"]}
        proposed = await call(township, "POST", f"{case_url}/proposal", json=proposal)
        assert (proposed["status"], proposed["proposed_amount"]) == ("confirmation", ADJUSTED)
        decided = await call(county_officer, "POST", f"{case_url}/decision", json={"decision": "confirm"})
        assert (decided["status"], decided["outcome"], decided["household_id"]) == ("decided", "adjusted", household_id)

        after = await call(county_officer, "GET", f"{HOUSEHOLDS}/{household_id}")
        assert after["status"] == "active"
        [entitlement] = after["entitlements"]
        assert (entitlement["program"], entitlement["monthly_amount"]) == ("dibao", ADJUSTED)
        assert decided["effective_month"] is not None
        assert entitlement["effective_from"] == decided["effective_month"]
        versions = await call_list(county_officer, f"{HOUSEHOLDS}/{household_id}/versions")
        assert versions[-1]["case_id"] == summary["case_id"]

        # The platform: one delivery, accepted at the first attempt, signed with the client secret, and the same
        # body as the work order's GET.
        [delivery] = await wait_until(
            lambda: _deliveries(hotline, number),
            lambda ds: bool(ds) and all(d["state"] == "delivered" for d in ds),
            timeout=BROKER_WAIT,
            every=0.5,
        )
        assert (delivery["status"], delivery["attempts"], delivery["last_error"]) == ("resolved", 1, None)
        [push] = platform.of(number)
        assert push.accepted
        assert push.delivery_id == delivery["delivery_id"]
        assert verify(hotline.client_secret, push.body, push.headers[SIGNATURE_HEADER.lower()])
        assert DELIVERY_HEADER.lower() in push.headers
        pushed = push.json()
        assert (pushed["work_order_no"], pushed["complaint_id"], pushed["status"]) == (number, complaint_id, "resolved")
        assert pushed["result"]["finding"] == "substantiated"
        assert pushed["result"]["reply"] == resolution["reply"]
        assert pushed == await call(hotline, "GET", f"{WORK_ORDERS}/{number}")
        # Nothing further for this work order: a push needs a delivery row, queued in the transaction that closes the
        # work order, and its only one (checked after the county's decision) is marked delivered.
        assert len(platform.of(number)) == 1


async def test_a_hotline_request_for_help_becomes_a_lead_and_then_an_application(whole_system: WholeSystem) -> None:
    place = Place.fresh()
    township = await whole_system.staff("township_officer", place.township, "乡镇民政办 经办")
    assistant = await whole_system.staff("village_assistant", place.village, "村协理员")
    hotline = await whole_system.partner("hotline", place.county)
    caller = person(place.county, "1986-02-17", "542", "郭淑芬")
    child = person(place.county, "2012-07-21", "553", "李思远")
    phone = fresh_phone(place.county)
    account_no = f"62220200{place.county}{phone[-5:]}"
    whole_system.remember_personal_data([caller.id_number, child.id_number, phone, account_no])
    number = work_order_no()

    received = await call(hotline, "POST", WORK_ORDERS, 201, json=help_work_order(number, place, caller, phone))
    complaint_id = str(received["complaint_id"])

    # help-requested → intake: an open lead of the village, from the hotline, naming the complaint.
    async def hotline_leads() -> list[str]:
        params = {"region_code": place.village, "source": "hotline"}
        return [str(i["lead_id"]) for i in (await call(township, "GET", LEADS, params=params))["items"]]

    [lead_id] = await wait_until(hotline_leads, bool, timeout=BROKER_WAIT, every=0.5)
    lead = await call(township, "GET", f"{LEADS}/{lead_id}")
    assert (lead["source"], lead["source_ref"], lead["kind"], lead["status"]) == (
        "hotline",
        complaint_id,
        "help_request",
        "open",
    )
    assert lead["region_code"] == place.village
    assert lead["detail"].startswith(f"[{number}] 家中突遭变故请求救助")
    contact = lead["contact"]
    assert (contact["name"], contact["id_number_masked"]) == (caller.name, masked(caller.id_number))
    same_phone = contact["phone"] == phone  # compared apart: a failed assert must not print the number
    assert same_phone, "the lead carries the caller's phone for the township to call back"

    # The village assistant files the application from the lead and submits it; the township accepts it.
    members = [
        member(caller.id_number, caller.name, "head"),
        member(child.id_number, child.name, "child", labour_capacity="none", employment="student"),
    ]
    body = application_body(
        place.village,
        members=members,
        channel="referral",
        lead_id=lead_id,
        bank_account={"bank_code": "ICBC", "account_no": account_no, "holder_id_number": caller.id_number},
    )
    created = await call(assistant, "POST", APPLICATIONS, 201, json=body)
    application_id = str(created["application_id"])
    assert (created["lead_id"], created["channel"], created["status"]) == (lead_id, "referral", "draft")
    await call(assistant, "POST", f"{APPLICATIONS}/{application_id}/submit")
    accepted = await call(township, "POST", f"{APPLICATIONS}/{application_id}/accept")
    assert (accepted["status"], accepted["lead_id"]) == ("accepted", lead_id)

    ended = await call(township, "GET", f"{LEADS}/{lead_id}")
    assert (ended["status"], ended["application_id"], ended["source"]) == (
        "application_opened",
        application_id,
        "hotline",
    )
    assert ended["ended_by"] is not None
    listed = await call(township, "GET", LEADS, params={"region_code": place.village, "source": "hotline"})
    assert [(i["lead_id"], i["application_id"]) for i in listed["items"]] == [(lead_id, application_id)]
    # The help call itself stays with the township in the complaint ledger until it is answered.
    item = await call(township, "GET", f"{COMPLAINTS}/{complaint_id}")
    assert (item["category"], item["source"], item["status"]) == ("help", "hotline", "assigned")
