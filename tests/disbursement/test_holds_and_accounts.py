"""Staff suspensions, account holds and bank accounts (DOMAIN.md §9 holds and bank cards, §11 data protection): what
each does to the next roster, the shared-account warning, masked reads and the audit of every unmasked one."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date
from typing import Any

from libs.contracts.events.intake import mask_account
from libs.contracts.programs import Program
from libs.contracts.staff import StaffRole
from libs.kernel.auth import Principal
from tests.disbursement.support import (
    Broker,
    DisbursementApi,
    Household,
    change,
    entitled,
    failed,
    fresh_account,
    items,
    month_lines,
    new_county,
    officer,
    staff,
    township,
)

BASE = "/api/v1/disbursement"
HOLDS = f"{BASE}/holds"


def account_path(h: Household, tail: str = "") -> str:
    return f"{BASE}/households/{h.household_id}/bank-account{tail}"


async def holds_of(api: DisbursementApi, h: Household, *, active: bool = True) -> list[dict[str, Any]]:
    params = {"region_code": h.county, "active": str(active).lower()}
    reply = await api.get(HOLDS, officer(h.county), params)
    assert reply.status_code == 200, reply.text
    return [x for x in reply.json()["items"] if x["household_id"] == h.household_id]


async def suspend(api: DisbursementApi, h: Household, **extra: Any) -> dict[str, Any]:
    reply = await api.post(HOLDS, officer(h.county), {"household_id": h.household_id, "reason": "核查中", **extra})
    assert reply.status_code == 201, reply.text
    return dict(reply.json())


async def account(api: DisbursementApi, h: Household, who: Principal | None = None) -> dict[str, Any]:
    reply = await api.get(account_path(h), who or officer(h.county))
    assert reply.status_code == 200, reply.text
    return dict(reply.json())


async def open_warnings(api: DisbursementApi, county: str, account_no: str) -> list[dict[str, Any]]:
    reply = await api.get(f"{BASE}/account-warnings", officer(county))
    assert reply.status_code == 200, reply.text
    return [w for w in reply.json() if w["account_no_masked"] == mask_account(account_no)]


def fix_body(account_no: str, reason: str = "新卡 new card") -> dict[str, str]:
    return {"bank_code": "ABC", "holder_name": "王五", "account_no": account_no, "reason": reason}


# Suspensions (暂停发放)


async def test_a_suspended_household_has_no_line_and_cannot_be_suspended_twice(
    api: DisbursementApi, broker: Broker
) -> None:
    county = new_county()
    h = await entitled(broker, county)
    other = await entitled(broker, county, amount="300.00")
    hold = await suspend(api, h)
    assert (hold["kind"], hold["program"], hold["released_at"]) == ("suspension", None, None)
    again = await api.post(HOLDS, officer(county), {"household_id": h.household_id, "reason": "再次"})
    assert again.status_code == 409
    assert (again.json()["code"], again.json()["hold_id"]) == ("already_held", hold["hold_id"])
    assert [x["hold_id"] for x in await holds_of(api, h)] == [hold["hold_id"]]
    roster = await api.build(county, "2026-12")
    assert {line["household_id"] for line in await api.staff_lines(roster)} == {other.household_id}
    assert roster["held"] == {"suspension": 1}


async def test_releasing_a_suspension_pays_the_held_months_as_arrears(api: DisbursementApi, broker: Broker) -> None:
    county = new_county()
    h = await entitled(broker, county)
    hold = await suspend(api, h)
    assert h.household_id not in await month_lines(api, county, "2026-12")
    clerk = officer(county)
    reply = await api.post(f"{HOLDS}/{hold['hold_id']}/release", clerk, {"reason": "核查无误"})
    assert reply.status_code == 200, reply.text
    assert (reply.json()["released_by"], reply.json()["release_reason"]) == (clerk.subject, "核查无误")
    assert await holds_of(api, h) == []
    assert [x["hold_id"] for x in await holds_of(api, h, active=False)] == [hold["hold_id"]]
    again = await api.post(f"{HOLDS}/{hold['hold_id']}/release", clerk, {"reason": "again"})
    assert (again.status_code, again.json()["code"]) == (409, "hold_released")
    api.clock.set_day(date(2027, 1, 2))
    line = (await month_lines(api, county, "2027-01"))[h.household_id]
    assert items(line) == [("regular", "560.00"), ("arrears", "560.00")]
    assert line["amount"] == "1120.00"


async def test_a_suspension_after_the_draft_was_built_makes_it_outdated(api: DisbursementApi, broker: Broker) -> None:
    county = new_county()
    h = await entitled(broker, county)
    other = await entitled(broker, county, amount="300.00")
    roster = await api.build(county, "2026-12")
    assert roster["line_count"] == 2
    await suspend(api, h)
    path = f"{BASE}/rosters/{roster['roster_id']}/lock"
    reply = await api.post(path, officer(county))
    assert (reply.status_code, reply.json()["code"]) == (409, "roster_outdated")
    assert (await api.get(f"{BASE}/rosters/{roster['roster_id']}", officer(county))).json()["status"] == "draft"
    rebuilt = await api.act(roster, "rebuild")
    assert {line["household_id"] for line in await api.staff_lines(rebuilt)} == {other.household_id}
    assert (await api.act(rebuilt, "lock"))["status"] == "locked"


async def test_a_suspension_of_one_program_leaves_the_others_paid(api: DisbursementApi, broker: Broker) -> None:
    county = new_county()
    h = await entitled(broker, county)
    tekun = replace(h, program=Program.TEKUN_DISPERSED, entitlement_id=f"ent-{uuid.uuid4()}")
    await change(broker, tekun, amount="800.00")
    hold = await suspend(api, h, program="tekun_dispersed")
    assert hold["program"] == "tekun_dispersed"
    # A suspension of the whole household is another hold.
    assert (await suspend(api, h))["program"] is None
    await api.post(f"{HOLDS}/{hold['hold_id']}/release", officer(county), {"reason": "x"})
    whole = (await holds_of(api, h))[0]
    await api.post(f"{HOLDS}/{whole['hold_id']}/release", officer(county), {"reason": "x"})
    await suspend(api, h, program="tekun_dispersed")
    roster = await api.build(county, "2026-12")
    lines = await api.staff_lines(roster)
    assert [(line["program"], line["amount"]) for line in lines] == [("dibao", "560.00")]
    orphan = {"household_id": h.household_id, "program": "orphan", "reason": "x"}
    unknown = await api.post(HOLDS, officer(county), orphan)
    assert (unknown.status_code, unknown.json()["code"]) == (404, "not_entitled")


# Account holds


async def test_a_household_without_an_account_is_held_until_casework_sends_one(
    api: DisbursementApi, broker: Broker
) -> None:
    county = new_county()
    h = await entitled(broker, county, with_account=False)
    (hold,) = await holds_of(api, h)
    assert hold["kind"] == "account"
    assert (await api.household(h))["account"] is None
    assert h.household_id not in await month_lines(api, county, "2026-12")
    # Releasing it by hand is refused: the account has to be fixed.
    reply = await api.post(f"{HOLDS}/{hold['hold_id']}/release", officer(county), {"reason": "x"})
    assert (reply.status_code, reply.json()["code"]) == (409, "account_hold")
    assert [x["hold_id"] for x in await holds_of(api, h)] == [hold["hold_id"]]
    await change(broker, replace(h, account_ref="acct-card"))
    assert await holds_of(api, h) == []
    api.clock.set_day(date(2027, 1, 2))
    line = (await month_lines(api, county, "2027-01"))[h.household_id]
    assert items(line) == [("regular", "560.00"), ("arrears", "560.00")]


async def test_staff_entering_an_account_for_a_household_without_one_pays_it(
    api: DisbursementApi, broker: Broker
) -> None:
    county = new_county()
    h = await entitled(broker, county, with_account=False)
    number = fresh_account()
    reply = await api.put(account_path(h), officer(county), fix_body(number))
    assert reply.status_code == 200, reply.text
    assert await holds_of(api, h) == []
    line = (await month_lines(api, county, "2026-12"))[h.household_id]
    assert line["account_no_masked"] == mask_account(number)


async def test_a_failed_account_fixed_by_staff_is_paid_the_failed_month(api: DisbursementApi, broker: Broker) -> None:
    county = new_county()
    h = await entitled(broker, county)
    roster = await api.submitted(county, "2026-12")
    (line,) = await api.finance_lines(roster["roster_id"])
    assert (await api.report(roster["roster_id"], [failed(line)])).status_code == 200
    (hold,) = await holds_of(api, h)
    assert hold["kind"] == "account"
    refused = await api.post(f"{HOLDS}/{hold['hold_id']}/release", officer(county), {"reason": "x"})
    assert (refused.status_code, refused.json()["code"]) == (409, "account_hold")
    assert (await account(api, h))["status"] == "failed"
    number = fresh_account()
    reply = await api.put(account_path(h), officer(county), fix_body(number))
    assert reply.status_code == 200, reply.text
    assert (reply.json()["status"], reply.json()["origin"]) == ("ok", "staff")
    assert reply.json()["account_no_masked"] == mask_account(number)
    assert await holds_of(api, h) == []
    api.clock.set_day(date(2027, 1, 2))
    line = (await month_lines(api, county, "2027-01"))[h.household_id]
    assert items(line) == [("regular", "560.00"), ("arrears", "560.00")]
    assert line["account_no_masked"] == mask_account(number)


# Bank accounts: masked, revealed with an audit row, fixed, shared


async def test_the_account_is_masked_for_every_reader(api: DisbursementApi, broker: Broker) -> None:
    county = new_county()
    h = await entitled(broker, county)
    for who in (officer(county), township(h.region_code)):
        reply = await api.get(account_path(h), who)
        assert reply.status_code == 200, reply.text
        assert reply.json()["account_no_masked"] == mask_account(h.account_no)
        assert h.account_no not in reply.text
        assert reply.json()["holder_name_masked"] != "王五"
    assert (await api.household(h))["account"]["account_no_masked"] == mask_account(h.account_no)


async def test_reveal_needs_a_county_officer_and_is_audited(api: DisbursementApi, broker: Broker) -> None:
    county = new_county()
    h = await entitled(broker, county)
    clerk = officer(county)
    denied = await api.post(account_path(h, "/reveal"), township(h.region_code), {"reason": "看看"})
    assert denied.status_code == 403
    reads = f"{BASE}/account-reads"
    assert (await api.get(reads, clerk, {"household_id": h.household_id})).json() == []
    reply = await api.post(account_path(h, "/reveal"), clerk, {"reason": "核对一卡通 check the card"})
    assert reply.status_code == 200, reply.text
    assert reply.json()["account_no"] == h.account_no
    # The gateway's access audit learns what this was (libs.kernel.audit_note); the number itself is not in the note.
    assert reply.headers["x-jiuzhu-audit"] == f"bank_account.revealed household/{h.household_id}"
    (read,) = (await api.get(reads, clerk, {"household_id": h.household_id})).json()
    assert (read["actor"], read["purpose"], read["accounts"]) == (clerk.subject, "核对一卡通 check the card", 1)
    assert (read["household_id"], read["roster_id"]) == (h.household_id, None)
    # Townships may not read the audit either.
    assert (await api.get(reads, township(h.region_code), {"household_id": h.household_id})).status_code == 403


async def test_a_repeat_event_keeps_a_staff_fix_and_a_new_reference_replaces_it(
    api: DisbursementApi, broker: Broker
) -> None:
    county = new_county()
    h = await entitled(broker, county)
    fixed = fresh_account()
    assert (await api.put(account_path(h), officer(county), fix_body(fixed))).status_code == 200
    # Casework sends the entitlement again naming the account it held all along.
    await change(broker, h, amount="580.00")
    assert ((await account(api, h))["account_no_masked"], (await account(api, h))["origin"]) == (
        mask_account(fixed),
        "staff",
    )
    # The household registers a new card with casework: a new reference wins over the fix.
    newer = replace(h, account_ref="acct-2", account_no=fresh_account())
    await change(broker, newer, amount="580.00")
    now = await account(api, h)
    assert (now["account_no_masked"], now["origin"]) == (mask_account(newer.account_no), "casework")
    line = (await month_lines(api, county, "2026-12"))[h.household_id]
    assert (line["account_no_masked"], line["amount"]) == (mask_account(newer.account_no), "580.00")


async def test_a_shared_account_raises_one_warning_until_cleared_and_a_third_household_raises_another(
    api: DisbursementApi, broker: Broker
) -> None:
    county = new_county()
    shared = fresh_account()
    a = await entitled(broker, county, account_no=shared)
    assert await open_warnings(api, county, shared) == []
    b = await entitled(broker, county, account_no=shared)
    (warning,) = await open_warnings(api, county, shared)
    assert sorted(warning["household_ids"]) == sorted([a.household_id, b.household_id])
    assert warning["county_codes"] == [county]
    # Another event for one of them changes nothing.
    await change(broker, b, amount="600.00")
    assert [w["warning_id"] for w in await open_warnings(api, county, shared)] == [warning["warning_id"]]
    path = f"{BASE}/account-warnings/{warning['warning_id']}/clear"
    assert (await api.post(path, township(a.region_code), {"reason": "x"})).status_code == 403
    cleared = await api.post(path, officer(county), {"reason": "监护人代管 the guardian's account"})
    assert cleared.status_code == 200, cleared.text
    assert cleared.json()["status"] == "cleared"
    assert await open_warnings(api, county, shared) == []
    again = await api.post(path, officer(county), {"reason": "x"})
    assert (again.status_code, again.json()["code"]) == (409, "warning_closed")
    c = await entitled(broker, county, account_no=shared)
    (raised,) = await open_warnings(api, county, shared)
    assert raised["warning_id"] != warning["warning_id"]
    assert sorted(raised["household_ids"]) == sorted([a.household_id, b.household_id, c.household_id])
    reply = await api.get(f"{BASE}/account-warnings", officer(county), {"status": "cleared"})
    assert [w["warning_id"] for w in reply.json() if w["account_no_masked"] == mask_account(shared)] == [
        warning["warning_id"]
    ]


async def test_a_staff_fix_onto_another_households_account_raises_a_warning(
    api: DisbursementApi, broker: Broker
) -> None:
    county = new_county()
    a = await entitled(broker, county)
    b = await entitled(broker, county)
    assert (await api.put(account_path(b), officer(county), fix_body(a.account_no))).status_code == 200
    (warning,) = await open_warnings(api, county, a.account_no)
    assert sorted(warning["household_ids"]) == sorted([a.household_id, b.household_id])


# Jurisdiction and bad input


async def test_another_countys_officer_sees_and_changes_nothing(api: DisbursementApi, broker: Broker) -> None:
    county, elsewhere = new_county(), new_county()
    h = await entitled(broker, county)
    hold = await suspend(api, h)
    stranger = officer(elsewhere)
    household = f"{BASE}/households/{h.household_id}"
    assert (await api.get(household, stranger)).status_code == 404
    assert (await api.get(account_path(h), stranger)).status_code == 404
    assert (await api.post(account_path(h, "/reveal"), stranger, {"reason": "x"})).status_code == 404
    assert (await api.put(account_path(h), stranger, fix_body(fresh_account()))).status_code == 404
    assert (await api.post(HOLDS, stranger, {"household_id": h.household_id, "reason": "x"})).status_code == 404
    assert (await api.post(f"{HOLDS}/{hold['hold_id']}/release", stranger, {"reason": "x"})).status_code == 404
    assert (await api.get(HOLDS, stranger, {"region_code": county})).status_code == 403
    assert (await api.get(f"{BASE}/account-reads", stranger, {"household_id": h.household_id})).status_code == 404
    city = staff(StaffRole.city_supervisor, county[:4])
    assert (await api.post(f"{HOLDS}/{hold['hold_id']}/release", city, {"reason": "x"})).status_code == 403
    # Nothing moved: the hold is still active, the account as casework sent it, no read recorded.
    assert [x["hold_id"] for x in await holds_of(api, h)] == [hold["hold_id"]]
    assert (await account(api, h))["account_no_masked"] == mask_account(h.account_no)
    reads = await api.get(f"{BASE}/account-reads", officer(county), {"household_id": h.household_id})
    assert reads.json() == []


async def test_bad_input_is_refused_and_changes_nothing(api: DisbursementApi, broker: Broker) -> None:
    county = new_county()
    h = await entitled(broker, county)
    clerk = officer(county)
    before = await account(api, h)
    for body in (
        fix_body("6222-0000"),
        fix_body("12345"),
        {**fix_body(fresh_account()), "reason": ""},
        {k: v for k, v in fix_body(fresh_account()).items() if k != "reason"},
    ):
        assert (await api.put(account_path(h), clerk, body)).status_code == 422
    assert await account(api, h) == before
    for hold_body in ({"household_id": h.household_id}, {"household_id": h.household_id, "reason": ""}):
        assert (await api.post(HOLDS, clerk, hold_body)).status_code == 422
    bad_program = {"household_id": h.household_id, "reason": "x", "program": "nonsense"}
    assert (await api.post(HOLDS, clerk, bad_program)).status_code == 422
    assert await holds_of(api, h) == []
    assert (await api.post(account_path(h, "/reveal"), clerk, {})).status_code == 422
    assert (await api.get(f"{BASE}/account-reads", clerk, {"household_id": h.household_id})).json() == []
    hold = await suspend(api, h)
    assert (await api.post(f"{HOLDS}/{hold['hold_id']}/release", clerk, {"reason": ""})).status_code == 422
    assert [x["hold_id"] for x in await holds_of(api, h)] == [hold["hold_id"]]
    missing = await api.post(f"{HOLDS}/{uuid.uuid4()}/release", clerk, {"reason": "x"})
    assert (missing.status_code, missing.json()["code"]) == (404, "hold_not_found")
    unknown = await api.post(HOLDS, clerk, {"household_id": f"hh-{uuid.uuid4()}", "reason": "x"})
    assert (unknown.status_code, unknown.json()["code"]) == (404, "household_not_found")
