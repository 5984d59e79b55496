"""A roster's life (DOMAIN.md §9, CONTRACTS.md §3): draft → locked → submitted → paid | partially_failed →
reconciled; conflicts, outdated drafts, immutability once locked, cancellation, lateness (due the 5th), lists."""

from __future__ import annotations

import hashlib
import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select, update

from libs.contracts.staff import StaffRole
from services.disbursement.rosters.models import RosterExport, RosterLine
from tests.disbursement.support import (
    FINANCE,
    Broker,
    DisbursementApi,
    change,
    entitled,
    failed,
    new_county,
    new_village,
    officer,
    paid,
    staff,
    township,
)

ROSTERS = "/api/v1/disbursement/rosters"


async def roster_now(api: DisbursementApi, roster: dict[str, Any]) -> dict[str, Any]:
    reply = await api.get(f"{ROSTERS}/{roster['roster_id']}", officer(roster["region_code"]))
    assert reply.status_code == 200, reply.text
    return dict(reply.json())


async def attempt(api: DisbursementApi, roster: dict[str, Any], action: str, body: Any = None) -> dict[str, Any]:
    """An action expected to be refused: the problem body (status code checked by the caller via 'status')."""
    reply = await api.post(f"{ROSTERS}/{roster['roster_id']}/{action}", officer(roster["region_code"]), body)
    assert reply.status_code >= 400, reply.text
    return {"status": reply.status_code, **reply.json()}


async def test_a_later_roster_and_its_lines_sort_after_an_earlier_one(api: DisbursementApi, broker: Broker) -> None:
    # Line ids begin with the roster's id: a new roster's lines go to the right-hand edge of the lines' indexes.
    rosters = []
    for _ in range(2):
        county = new_county()
        await entitled(broker, county, amount="300.00")
        rosters.append(await api.build(county, "2026-12"))
    earlier, later = (r["roster_id"] for r in rosters)
    assert [uuid.UUID(r).version for r in (earlier, later)] == [7, 7]
    assert earlier < later
    lines = [line["line_id"] for roster in rosters for line in await api.staff_lines(roster)]
    assert lines == sorted(lines)
    assert (lines[0].rsplit("-", 1)[0], lines[-1].rsplit("-", 1)[0]) == (earlier, later)


async def test_paid_in_full_then_reconciled(api: DisbursementApi, broker: Broker) -> None:
    county = new_county()
    await entitled(broker, county, amount="560.00")
    await entitled(broker, county, amount="333.33")
    roster = await api.build(county, "2026-12")
    assert (roster["status"], roster["checksum"], roster["outdated"], roster["late"]) == ("draft", None, False, False)
    locked = await api.act(roster, "lock")
    assert locked["status"] == "locked"
    assert locked["checksum"].startswith("sha256:")
    submitted = await api.act(roster, "submit")
    assert submitted["status"] == "submitted"
    assert submitted["submitted_at"] is not None

    lines = await api.finance_lines(roster["roster_id"])
    first = await api.report(roster["roster_id"], [paid(lines[0], "TXN-A")])
    assert first.json() == {"accepted": 1, "unchanged": 0}
    assert (await roster_now(api, roster))["status"] == "submitted"  # not every line reported yet
    rest = await api.report(roster["roster_id"], [paid(lines[0], "TXN-A"), paid(lines[1], "TXN-B")])
    assert rest.json() == {"accepted": 1, "unchanged": 1}
    now = await roster_now(api, roster)
    assert (now["status"], now["paid_lines"], now["paid_amount"]) == ("paid", 2, "893.33")

    done = await api.act(roster, "reconcile")
    assert done["status"] == "reconciled"
    assert done["reconciled_at"] is not None
    summary = done["reconciliation"]
    assert summary["line_count"] == summary["paid_lines"] == 2
    assert summary["paid_fen"] == summary["total_fen"] == 89333
    assert (summary["failed_lines"], summary["failed_fen"], summary["carried_forward_fen"]) == (0, 0, 0)
    assert summary["balanced"] is True


async def test_partially_failed_then_reconciled(api: DisbursementApi, broker: Broker) -> None:
    county = new_county()
    await entitled(broker, county, amount="560.00")
    await entitled(broker, county, amount="412.36")
    roster = await api.submitted(county, "2026-12")
    lines = await api.finance_lines(roster["roster_id"])
    bad = next(line for line in lines if line["amount"] == "412.36")
    good = next(line for line in lines if line["amount"] == "560.00")
    reply = await api.report(roster["roster_id"], [paid(good), failed(bad)])
    assert reply.json() == {"accepted": 2, "unchanged": 0}, reply.text

    now = await roster_now(api, roster)
    assert (now["status"], now["failed_lines"], now["failed_amount"]) == ("partially_failed", 1, "412.36")
    summary = (await api.act(roster, "reconcile"))["reconciliation"]
    assert (summary["paid_lines"], summary["paid_fen"]) == (1, 56000)
    assert (summary["failed_lines"], summary["failed_fen"], summary["carried_forward_fen"]) == (1, 41236, 41236)
    assert summary["paid_items_fen"] == {}  # only regular amounts: no arrears, one-offs or deductions paid
    assert summary["balanced"] is True
    # Reconciled: finance can no longer report.
    late = await api.report(roster["roster_id"], [paid(bad)])
    assert late.status_code == 409, late.text
    assert late.json()["code"] == "roster_reconciled"
    assert (await roster_now(api, roster))["failed_lines"] == 1


async def test_actions_out_of_order_are_refused(api: DisbursementApi, broker: Broker) -> None:
    county = new_county()
    await entitled(broker, county, amount="560.00")
    roster = await api.build(county, "2026-12")
    for action in ("submit", "reconcile"):
        problem = await attempt(api, roster, action)
        assert (problem["status"], problem["code"]) == (409, "roster_status")
    assert (await roster_now(api, roster))["status"] == "draft"

    await api.act(roster, "lock")
    for action in ("lock", "rebuild", "reconcile"):
        problem = await attempt(api, roster, action)
        assert (problem["status"], problem["code"]) == (409, "roster_status")
    assert (await roster_now(api, roster))["status"] == "locked"
    # Finance does not see a roster before its submission.
    assert (await api.get(f"/api/v1/finance/rosters/{roster['roster_id']}", FINANCE)).status_code == 404

    await api.act(roster, "submit")
    for action in ("submit", "lock", "reconcile"):
        problem = await attempt(api, roster, action)
        assert (problem["status"], problem["code"]) == (409, "roster_status")
    assert (await roster_now(api, roster))["status"] == "submitted"


async def test_one_roster_per_county_and_month_in_order(api: DisbursementApi, broker: Broker) -> None:
    county = new_county()
    await entitled(broker, county, amount="560.00")
    december = await api.build(county, "2026-12")

    again = await api.post(ROSTERS, officer(county), {"region_code": county, "period": "2026-12"})
    assert again.status_code == 409, again.text
    assert (again.json()["code"], again.json()["roster_id"]) == ("roster_exists", december["roster_id"])

    await api.act(december, "lock")
    january = await api.build(county, "2027-01")
    earlier = await api.post(ROSTERS, officer(county), {"region_code": county, "period": "2026-11"})
    assert earlier.status_code == 409, earlier.text
    assert earlier.json()["code"] == "later_roster_exists"
    listed = (await api.get(ROSTERS, officer(county), {"region_code": county})).json()["items"]
    assert [r["roster_id"] for r in listed] == [january["roster_id"], december["roster_id"]]


async def test_a_roster_far_ahead_is_refused_and_blocks_nothing(api: DisbursementApi, broker: Broker) -> None:
    """A roster for 2099-12 once stood before every nearer month's roster of its county (issue 17)."""
    county = new_county()
    await entitled(broker, county, amount="560.00")
    far = await api.post(ROSTERS, officer(county), {"region_code": county, "period": "2099-12"})
    assert far.status_code == 422, far.text
    assert far.json()["code"] == "period_too_far_ahead"
    assert (await api.get(ROSTERS, officer(county), {"region_code": county})).json()["items"] == []
    assert (await api.build(county, "2026-12"))["status"] == "draft"


async def test_a_county_without_entitlements_is_unknown(api: DisbursementApi) -> None:
    county = new_county()
    reply = await api.post(ROSTERS, officer(county), {"region_code": county, "period": "2026-12"})
    assert reply.status_code == 422, reply.text
    assert reply.json()["code"] == "unknown_county"
    assert (await api.get(ROSTERS, officer(county), {"region_code": county})).json()["items"] == []


async def test_lock_refused_after_an_event_then_rebuilt(api: DisbursementApi, broker: Broker) -> None:
    county = new_county()
    first = await entitled(broker, county, amount="560.00")
    roster = await api.build(county, "2026-12")
    second = await entitled(broker, county, amount="700.00")

    assert (await roster_now(api, roster))["outdated"] is True
    problem = await attempt(api, roster, "lock")
    assert (problem["status"], problem["code"]) == (409, "roster_outdated")
    assert (await roster_now(api, roster))["status"] == "draft"

    rebuilt = await api.act(roster, "rebuild")
    assert (rebuilt["outdated"], rebuilt["line_count"], rebuilt["total_amount"]) == (False, 2, "1260.00")
    assert {line["household_id"] for line in await api.staff_lines(roster)} == {
        first.household_id,
        second.household_id,
    }
    assert (await api.act(roster, "lock"))["status"] == "locked"


async def test_lock_refused_after_a_hold_then_rebuilt(api: DisbursementApi, broker: Broker) -> None:
    county = new_county()
    kept = await entitled(broker, county, amount="560.00")
    suspended = await entitled(broker, county, amount="620.00")
    roster = await api.build(county, "2026-12")
    hold = await api.post(
        "/api/v1/disbursement/holds", officer(county), {"household_id": suspended.household_id, "reason": "核查"}
    )
    assert hold.status_code == 201, hold.text

    problem = await attempt(api, roster, "lock")
    assert (problem["status"], problem["code"]) == (409, "roster_outdated")
    rebuilt = await api.act(roster, "rebuild")
    assert (rebuilt["line_count"], rebuilt["held"]) == (1, {"suspension": 1})
    assert [line["household_id"] for line in await api.staff_lines(roster)] == [kept.household_id]
    assert (await api.act(roster, "lock"))["total_amount"] == "560.00"


async def test_a_draft_whose_lines_no_longer_add_up_is_not_locked_and_writes_nothing(
    api: DisbursementApi, broker: Broker
) -> None:
    """Only a draft changed outside its build can have a line whose amount is not its items' sum, or that pays
    nothing: locking checks every line as it writes the CSV, refuses, and keeps nothing it wrote."""
    county = new_county()
    kept = await entitled(broker, county, amount="560.00")
    altered = await entitled(broker, county, amount="620.00")
    roster = await api.build(county, "2026-12")
    for amount_fen in (62_100, 0):  # a fen more than its items; nothing at all
        async with api.db.sessions.begin() as s:
            await s.execute(
                update(RosterLine)
                .where(RosterLine.roster_id == roster["roster_id"], RosterLine.household_id == altered.household_id)
                .values(amount_fen=amount_fen)
            )

        problem = await attempt(api, roster, "lock")

        assert (problem["status"], problem["code"]) == (409, "roster_outdated")
        assert (await roster_now(api, roster))["status"] == "draft"
        async with api.db.sessions() as s:
            chunks = await s.scalar(
                select(func.count()).select_from(RosterExport).where(RosterExport.roster_id == roster["roster_id"])
            )
        assert chunks == 0
    rebuilt = await api.act(roster, "rebuild")
    assert (rebuilt["line_count"], rebuilt["total_amount"]) == (2, "1180.00")
    locked = await api.act(roster, "lock")
    assert (locked["status"], locked["total_amount"]) == ("locked", "1180.00")
    assert {line["household_id"] for line in await api.staff_lines(roster)} == {
        kept.household_id,
        altered.household_id,
    }


async def test_a_locked_roster_never_changes(api: DisbursementApi, broker: Broker) -> None:
    county = new_county()
    household = await entitled(broker, county, amount="560.00")
    for _ in range(3):
        await entitled(broker, county, amount="101.01")
    roster = await api.build(county, "2026-12")
    locked = await api.act(roster, "lock")
    before = await api.staff_lines(roster)

    # Later events: a raise for December, a new household, a suspension.
    await change(broker, household, amount="900.00", effective_from="2026-12")
    await entitled(broker, county, amount="450.00")
    await api.post(
        "/api/v1/disbursement/holds", officer(county), {"household_id": household.household_id, "reason": "核查"}
    )
    problem = await attempt(api, roster, "rebuild")
    assert (problem["status"], problem["code"]) == (409, "roster_status")

    now = await roster_now(api, roster)
    assert (now["checksum"], now["line_count"], now["total_amount"]) == (locked["checksum"], 4, "863.03")
    assert now["outdated"] is False  # only a draft can be outdated
    assert await api.staff_lines(roster) == before
    submitted = await api.act(roster, "submit")
    body = (await api.finance_csv(roster["roster_id"])).content
    assert submitted["checksum"] == locked["checksum"] == "sha256:" + hashlib.sha256(body).hexdigest()


async def test_cancel_a_draft_drops_its_lines(api: DisbursementApi, broker: Broker) -> None:
    county = new_county()
    household = await entitled(broker, county, amount="560.00")
    roster = await api.build(county, "2026-12")
    cancelled = await api.act(roster, "cancel", {"reason": "金额核对有误 wrong amounts"})
    assert (cancelled["status"], cancelled["cancel_reason"]) == ("cancelled", "金额核对有误 wrong amounts")
    assert await api.staff_lines(roster) == []
    assert (await api.household(household))["payments"] == []

    replacement = await api.build(county, "2026-12")
    assert replacement["roster_id"] != roster["roster_id"]
    assert [line["amount"] for line in await api.staff_lines(replacement)] == ["560.00"]


async def test_cancel_a_locked_roster_its_lines_count_as_never_sent(api: DisbursementApi, broker: Broker) -> None:
    county = new_county()
    a = await entitled(broker, county, amount="560.00")
    b = await entitled(broker, county, amount="333.33")
    roster = await api.build(county, "2026-12")
    await api.act(roster, "lock")
    cancelled = await api.act(roster, "cancel", {"reason": "银行账户批量错误"})
    assert cancelled["status"] == "cancelled"
    assert len(await api.staff_lines(roster)) == 2  # kept for the record
    assert (await api.get(f"/api/v1/finance/rosters/{roster['roster_id']}", FINANCE)).status_code == 404

    replacement = await api.build(county, "2026-12")
    lines = await api.staff_lines(replacement)
    assert {line["household_id"]: line["amount"] for line in lines} == {
        a.household_id: "560.00",
        b.household_id: "333.33",
    }
    assert all([i["kind"] for i in line["items"]] == ["regular"] for line in lines)


async def test_cancelled_locked_month_is_owed_as_arrears_next_month(api: DisbursementApi, broker: Broker) -> None:
    county = new_county()
    household = await entitled(broker, county, amount="560.00")
    december = await api.build(county, "2026-12")
    await api.act(december, "lock")
    await api.act(december, "cancel", {"reason": "作废"})

    api.clock.set_day(date(2027, 1, 2))
    january = await api.staff_lines(await api.build(county, "2027-01"))
    assert [(i["kind"], i["amount"]) for i in january[0]["items"]] == [("regular", "560.00"), ("arrears", "560.00")]
    assert january[0]["household_id"] == household.household_id


async def test_no_cancel_after_submission(api: DisbursementApi, broker: Broker) -> None:
    county = new_county()
    await entitled(broker, county, amount="560.00")
    roster = await api.submitted(county, "2026-12")
    problem = await attempt(api, roster, "cancel", {"reason": "too late"})
    assert (problem["status"], problem["code"]) == (409, "roster_status")
    now = await roster_now(api, roster)
    assert (now["status"], now["cancel_reason"]) == ("submitted", None)


async def late_list(api: DisbursementApi, county: str) -> list[dict[str, Any]]:
    reply = await api.get(f"{ROSTERS}/late", officer(county), {"period": "2026-12", "region_code": county})
    assert reply.status_code == 200, reply.text
    return list(reply.json())


async def test_late_rosters_after_the_fifth(api: DisbursementApi, broker: Broker) -> None:
    on_time, late, unsent, none = new_county(), new_county(), new_county(), new_county()
    for county in (on_time, late, unsent, none):
        await entitled(broker, county, amount="560.00")
    api.clock.set_day(date(2026, 12, 3))
    punctual = await api.submitted(on_time, "2026-12")
    draft = await api.build(unsent, "2026-12")
    api.clock.set_day(date(2026, 12, 5))
    assert await late_list(api, unsent) == []  # the 5th itself is on time

    api.clock.set_day(date(2026, 12, 8))
    tardy = await api.submitted(late, "2026-12")
    api.clock.set_day(date(2026, 12, 9))

    assert await late_list(api, on_time) == []
    assert (await roster_now(api, punctual))["late"] is False
    [row] = await late_list(api, late)
    assert (row["roster_id"], row["status"], row["submitted_on"], row["days_late"], row["due_date"]) == (
        tardy["roster_id"],
        "submitted",
        "2026-12-08",
        3,
        "2026-12-05",
    )
    assert (await roster_now(api, tardy))["late"] is True
    [row] = await late_list(api, unsent)
    assert (row["roster_id"], row["status"], row["submitted_on"], row["days_late"]) == (
        draft["roster_id"],
        "draft",
        None,
        4,
    )
    [row] = await late_list(api, none)
    assert (row["region_code"], row["roster_id"], row["status"], row["days_late"]) == (none, None, None, 4)


async def test_list_filters_and_pages(api: DisbursementApi, broker: Broker) -> None:
    county = new_county()
    await entitled(broker, county, amount="560.00")
    dropped = await api.build(county, "2026-12")
    await api.act(dropped, "cancel", {"reason": "重做"})
    december = await api.submitted(county, "2026-12")
    api.clock.set_day(date(2027, 1, 2))
    january = await api.build(county, "2027-01")

    async def listed(**params: Any) -> list[str]:
        reply = await api.get(ROSTERS, officer(county), {"region_code": county, **params})
        assert reply.status_code == 200, reply.text
        return [r["roster_id"] for r in reply.json()["items"]]

    assert await listed(status="cancelled") == [dropped["roster_id"]]
    assert await listed(status="submitted") == [december["roster_id"]]
    assert await listed(period="2027-01") == [january["roster_id"]]
    assert sorted(await listed(period="2026-12")) == sorted([dropped["roster_id"], december["roster_id"]])

    seen: list[str] = []
    cursor: str | None = None
    while True:
        params = {"region_code": county, "limit": 1, **({"cursor": cursor} if cursor else {})}
        page = (await api.get(ROSTERS, officer(county), params)).json()
        assert len(page["items"]) <= 1
        seen += [r["roster_id"] for r in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen[0] == january["roster_id"]  # newest month first
    assert sorted(seen[1:]) == sorted([dropped["roster_id"], december["roster_id"]])

    finance = (await api.get("/api/v1/finance/rosters", FINANCE, {"region_code": county})).json()["items"]
    assert [r["roster_id"] for r in finance] == [december["roster_id"]]
    other = (await api.get(ROSTERS, officer(new_county()))).json()["items"]
    assert not {r["roster_id"] for r in other} & set(seen)


async def test_only_a_county_officer_builds(api: DisbursementApi, broker: Broker) -> None:
    county = new_county()
    household = await entitled(broker, county, amount="560.00")
    body = {"region_code": county, "period": "2026-12"}
    assert (await api.post(ROSTERS, township(household.region_code), body)).status_code == 403
    assert (await api.post(ROSTERS, staff(StaffRole.city_supervisor, county[:4]), body)).status_code == 403
    assert (await api.post(ROSTERS, officer(new_county()), body)).status_code == 403
    assert (await api.get(ROSTERS, officer(county), {"region_code": county})).json()["items"] == []

    roster = await api.build(county, "2026-12")
    path = f"{ROSTERS}/{roster['roster_id']}"
    assert (await api.post(f"{path}/lock", township(new_village(county)))).status_code == 403
    assert (await api.get(path, officer(new_county()))).status_code == 404
    assert (await roster_now(api, roster))["status"] == "draft"


async def lock_even_if_outdated(api: DisbursementApi, roster: dict[str, Any]) -> None:
    """Lock; a draft found outdated is rebuilt first, as staff would."""
    reply = await api.post(f"{ROSTERS}/{roster['roster_id']}/lock", officer(roster["region_code"]))
    if reply.status_code == 409 and reply.json()["code"] == "roster_outdated":
        await api.act(roster, "rebuild")
        await api.act(roster, "lock")
    else:
        assert reply.status_code == 200, reply.text


async def paid_for(api: DisbursementApi, rosters: list[dict[str, Any]], household_id: str, period: str) -> Decimal:
    """What the given rosters send a household for `period`: its regular amount there, or arrears for it."""
    total = Decimal(0)
    for roster in rosters:
        for line in await api.staff_lines(roster):
            if line["household_id"] != household_id:
                continue
            for item in line["items"]:
                regular = item["kind"] == "regular" and line["period"] == period
                if regular or (item["kind"] == "arrears" and period in item["note"]):
                    total += Decimal(item["amount"])
    return total


async def test_an_earlier_draft_locked_after_a_later_build_never_pays_twice(
    api: DisbursementApi, broker: Broker
) -> None:
    county = new_county()
    await entitled(broker, county, amount="560.00", effective_from="2026-11")
    api.clock.set_day(date(2026, 11, 2))
    await api.act(await api.build(county, "2026-11"), "lock")
    api.clock.set_day(date(2026, 12, 2))
    december = await api.build(county, "2026-12")
    late = await entitled(broker, county, amount="300.00", effective_from="2026-12")
    january = await api.build(county, "2027-01")  # counts December as unpaid: its roster is a draft
    await lock_even_if_outdated(api, december)
    await lock_even_if_outdated(api, january)
    assert await paid_for(api, [december, january], late.household_id, "2026-12") == Decimal("300.00")


async def test_a_cancelled_month_is_paid_in_full_even_with_a_later_draft(api: DisbursementApi, broker: Broker) -> None:
    county = new_county()
    household = await entitled(broker, county, amount="500.00")
    december = await api.build(county, "2026-12")
    await api.act(december, "lock")
    api.clock.set_day(date(2026, 12, 3))
    await change(broker, household, amount="600.00", effective_from="2026-12")  # a raise: 100.00 owed for December
    api.clock.set_day(date(2027, 1, 2))
    january = await api.build(county, "2027-01")
    await api.act(december, "cancel", {"reason": "作废 void"})
    await lock_even_if_outdated(api, january)
    api.clock.set_day(date(2027, 2, 2))
    february = await api.build(county, "2027-02")
    await api.act(february, "lock")
    assert await paid_for(api, [january, february], household.household_id, "2026-12") == Decimal("600.00")
