"""Issue 21: households as they change, through the whole system (every service its own process behind the gateway).

A. A birth added at review (seed 000 四(二) 核增救助人口). A family of three decided on dibao at a standard of 600.00
   (600.00 × 3 less 900.00 a month of verified wages: 900.00) is paid this month. The village's monthly report names
   a birth, which opens a review; the township investigates and proposes `adjusted` with the newborn joining, the
   county confirms. The household has four members, the entitlement 1,500.00 (600.00 × 4 − 900.00) from the decision's
   month (the county pays from the month of a decision: `benefit_start_offset_months` 0), which was paid at the old
   amount: next month's roster pays 1,500.00 and 600.00 of arrears.
B. A household moving county. County A paid this month for an elderly woman living alone; her township files her
   move to a village of county B from this month (the earliest a move may take effect: never back-dated), county A
   may not accept it for county B, county B's officer accepts it and it applies at once (its month has begun; a
   later month waits for casework's `moves` job when that month begins, which a test on the real clock cannot reach).
   Her payments follow: county B's roster for this month leaves her out (county A paid it), county B's roster for next
   month pays her regular amount with no arrears, county A's roster for next month no longer lists her. Every month
   is paid once, by one county.

Months are the real ones (the services run on the real clock).
"""

from __future__ import annotations

from functools import partial
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from libs.contracts.clock import china_today
from tests.e2e.journey_recipients import (
    EVENT_TIMEOUT,
    County,
    account_no,
    casework_household,
    decided_recipients,
    import_recipient,
    items,
    next_month,
    open_county,
    paid_roster,
    payment_file,
    period,
    person,
    previous_month,
    published,
    this_month,
    wait_in_ledger,
)
from tests.e2e.system import WholeSystem
from tests.support.waiting import wait_until

pytestmark = pytest.mark.timeout(900)  # the whole system's start-up, and casework's worker ending the publicity

CASES = "/api/v1/casework/cases"
MOVES = "/api/v1/casework/moves"
REPORTS = "/api/v1/casework/village-reports"
BEFORE, AFTER, OWED = "900.00", "1500.00", "600.00"


def scheduled(month: str, amount: str, members: int, file: dict[str, Any] | None) -> bool:
    """Disbursement's ledger holds `amount` for the household's members from `month`."""
    if file is None:
        return False
    [ent] = file["entitlements"]
    due = any(s["first_period"] == month and s["amount"] == amount for s in ent["schedule"])
    return due and ent["member_count"] == members


async def test_a_birth_added_at_review_is_paid_from_its_month_with_arrears(
    whole_system: WholeSystem, engine: AsyncEngine
) -> None:
    month = this_month()
    following = next_month(month)
    county = await open_county(whole_system, {"dibao_standard": "600.00", "benefit_start_offset_months": 0})
    finance = await whole_system.partner("finance", county.code)

    # --- 1. A family of three on dibao, paid this month.
    [(family, decided)] = await decided_recipients(county, 1)
    household = decided.household_id
    assert (decided.amount, decided.first_period) == (BEFORE, period(month))
    lines = await paid_roster(county, finance, month)
    assert items(lines[household]) == [("regular", BEFORE)]

    # --- 2. The village's monthly report names a birth: it opens a review of the household.
    baby = person(county, previous_month(month).replace(day=5).isoformat(), "746", "宋小宝")
    entry = {"household_id": household, "changes": ["other"], "detail": "上月新生儿出生，申请核增救助人口"}
    reply = await county.township.http.put(
        f"{REPORTS}/{family.village}/{period(month)}", json={"zero_report": False, "entries": [entry]}
    )
    assert reply.status_code == 201, reply.text
    [filed] = reply.json()["entries"]
    review_id = filed["case_id"]
    assert review_id
    path = f"{CASES}/{review_id}"
    review = (await county.officer.http.get(path)).json()
    assert (review["kind"], review["status"], review["household_id"]) == ("triggered", "investigating", household)

    # --- 3. The township investigates and proposes the newborn joining; the county confirms.
    investigation = {
        "investigators": [{"user": "inv-1", "name": "调查员甲"}, {"user": "inv-2", "name": "调查员乙"}],
        "visited_on": china_today().isoformat(),
        "findings": "入户核实：上月新生一子，出生医学证明已见；配偶仍灵活就业",
        "neighbour_visits": "走访邻居两户，情况属实",
        # A review carries the household's commitment (属实承诺书, issue 21), signed by the head.
        "commitment": {
            "signed": True,
            "signed_by": family.earner.name,
            "signer_relation": "户主",
            "signed_on": china_today().isoformat(),
        },
        "verified_income": [
            {"member_id_number": family.earner.id_number, "kind": "wages", "amount_12_months": "10800.00"}
        ],
    }
    reply = await county.township.http.post(f"{path}/investigations", json=investigation)
    assert reply.status_code == 201, reply.text
    newborn = {
        "id_number": baby.id_number,
        "name": baby.name,
        "relation": "child",
        "labour_capacity": "none",
        "employment": "not_working",
        "reason": "birth",
        "evidence": "出生医学证明 已核验",
    }
    proposal = {"outcome": "adjusted", "reasons": ["新生儿出生，核增救助人口"], "members_added": [newborn]}
    reply = await county.township.http.post(f"{path}/proposal", json=proposal)
    assert reply.status_code == 200, reply.text
    proposed = reply.json()
    # A review's adjustment goes to the county's confirmation, not to a posting; the clear proposal names no one.
    assert (proposed["status"], proposed["proposed_amount"]) == ("confirmation", AFTER)
    assert baby.id_number not in reply.text
    reply = await county.officer.http.post(f"{path}/decision", json={"decision": "confirm"})
    assert reply.status_code == 200, reply.text
    assert (reply.json()["outcome"], reply.json()["effective_month"]) == ("adjusted", period(month))

    registered = await casework_household(county, household)
    assert [(m["name"], m["relation"]) for m in registered["members"]] == [
        *((m.name, m.relation) for m in family.members),
        (baby.name, "child"),
    ]
    assert [(e["program"], e["monthly_amount"], e["effective_from"]) for e in registered["entitlements"]] == [
        ("dibao", AFTER, period(month))
    ]

    # --- 4. Disbursement's ledger: the new amount for four members from this month, which it looks at again.
    file = await wait_until(
        partial(payment_file, county, household),
        partial(scheduled, period(month), AFTER, 4),
        timeout=EVENT_TIMEOUT,
        every=0.5,
    )
    assert file is not None
    assert file["entitlements"][0]["unsettled_from"] == period(month)

    # --- 5. Next month's roster pays the new amount and this month's difference; finance pays it.
    lines = await paid_roster(county, finance, following)
    line = lines[household]
    assert (line["amount"], items(line)) == ("2100.00", [("regular", AFTER), ("arrears", OWED)])
    [arrears] = [i for i in line["items"] if i["kind"] == "arrears"]
    assert period(month) in arrears["note"]
    file = await payment_file(county, household)
    assert file is not None
    assert [(p["period"], p["amount"], p["status"]) for p in file["payments"]] == [
        (period(following), "2100.00", "paid"),
        (period(month), BEFORE, "paid"),
    ]
    # Once: the approval and the adjustment each changed the entitlement one time.
    assert await published(engine, "casework", "entitlement-changed", household) == 2


async def lines_of(county: County, household_id: str) -> list[tuple[str, str, str, list[tuple[str, str]]]]:
    """The household's payments in its payment file as (month, county paying, status, items), the latest first."""
    file = await payment_file(county, household_id)
    assert file is not None
    return [(p["period"], p["region_code"][:6], p["status"], items(p)) for p in file["payments"]]


async def test_a_household_moving_county_is_paid_every_month_once(whole_system: WholeSystem) -> None:
    month = this_month()
    following = next_month(month)
    old, new = await open_county(whole_system), await open_county(whole_system)
    old_finance = await whole_system.partner("finance", old.code)
    new_finance = await whole_system.partner("finance", new.code)

    # --- 1. County A pays the widow and a neighbour, county B a household of its own; this month is paid.
    widow = person(old, "1945-07-19", "762", "刘桂芝")
    neighbour = person(old, "1958-11-02", "773", "陈德明")
    local = person(new, "1961-04-27", "781", "孙玉兰")
    moving = (
        await import_recipient(
            old, [("head", widow)], [("dibao", "700.00")], legacy_ref="DB-2021-0515", account=account_no(old, 1)
        )
    )["household_id"]
    staying = (
        await import_recipient(
            old, [("head", neighbour)], [("dibao", "650.00")], legacy_ref="DB-2021-0516", account=account_no(old, 2)
        )
    )["household_id"]
    resident = (
        await import_recipient(
            new, [("head", local)], [("dibao", "560.00")], legacy_ref="DB-2023-0042", account=account_no(new, 1)
        )
    )["household_id"]
    for county, household in ((old, moving), (old, staying), (new, resident)):
        await wait_in_ledger(county, household, {"dibao"})
    lines = await paid_roster(old, old_finance, month)
    assert {h: items(line) for h, line in lines.items()} == {
        moving: [("regular", "700.00")],
        staying: [("regular", "650.00")],
    }

    # --- 2. Her township files the move to county B from this month; county B's officer accepts it.
    target = f"{new.code}001002"
    body = {"to_village_code": target, "effective_month": period(month), "reason": "投靠子女，户籍迁入乙县"}
    reply = await old.township.http.post(f"/api/v1/casework/households/{moving}/moves", json=body)
    assert reply.status_code == 201, reply.text
    move = reply.json()
    assert (move["scope"], move["status"], move["from_region_code"], move["to_region_code"]) == (
        "county",
        "pending",
        old.village,
        target,
    )
    # Until county B accepts, she is county A's, and county B sees the move only.
    assert (await casework_household(old, moving))["region_code"] == old.village
    reply = await new.officer.http.get(f"/api/v1/casework/households/{moving}")
    assert (reply.status_code, reply.json()["code"]) == (403, "outside_jurisdiction")
    reply = await new.officer.http.get(MOVES, params={"region_code": new.code, "status": "pending"})
    assert reply.status_code == 200, reply.text
    assert [m["move_id"] for m in reply.json()["items"]] == [move["move_id"]]
    # The county moved from does not accept for the county moved to.
    reply = await old.officer.http.post(f"{MOVES}/{move['move_id']}/acceptance", json={})
    assert (reply.status_code, reply.json()["code"]) == (403, "outside_jurisdiction")
    acceptance = {"note": "核实子女户籍，同意接收"}
    reply = await new.officer.http.post(f"{MOVES}/{move['move_id']}/acceptance", json=acceptance)
    assert reply.status_code == 200, reply.text
    accepted = reply.json()
    # Its month has begun: it applies at once.
    assert (accepted["status"], accepted["decided_by"] is not None, accepted["applied_at"] is not None) == (
        "applied",
        True,
        True,
    )
    again = await new.officer.http.post(f"{MOVES}/{move['move_id']}/acceptance", json={})
    assert (again.status_code, again.json()["code"]) == (409, "move_decided")
    assert (await casework_household(new, moving))["region_code"] == target
    reply = await old.officer.http.get(f"/api/v1/casework/households/{moving}")
    assert (reply.status_code, reply.json()["code"]) == (403, "outside_jurisdiction")

    # --- 3. Casework's `household-changed` moves her entitlement to county B's ledger.
    def in_new_county(file: dict[str, Any] | None) -> bool:
        return file is not None and file["entitlements"][0]["region_code"] == target

    await wait_until(partial(payment_file, new, moving), in_new_county, timeout=EVENT_TIMEOUT, every=0.5)
    assert await payment_file(old, moving) is None  # no longer county A's to see

    # --- 4. Rosters: county B's this month leaves her out (county A paid it), next month's pays her, county A's
    # next month no longer lists her.
    lines = await paid_roster(new, new_finance, month)
    assert {h: items(line) for h, line in lines.items()} == {resident: [("regular", "560.00")]}
    lines = await paid_roster(new, new_finance, following)
    assert {h: items(line) for h, line in lines.items()} == {
        moving: [("regular", "700.00")],
        resident: [("regular", "560.00")],
    }
    assert lines[moving]["region_code"] == target
    lines = await paid_roster(old, old_finance, following)
    assert {h: items(line) for h, line in lines.items()} == {staying: [("regular", "650.00")]}

    # Every month once, by one county: this month by county A, next month by county B.
    assert await lines_of(new, moving) == [
        (period(following), new.code, "paid", [("regular", "700.00")]),
        (period(month), old.code, "paid", [("regular", "700.00")]),
    ]
