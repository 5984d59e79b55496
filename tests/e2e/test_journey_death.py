"""Issue 8, scenario B: a paid recipient dies, and the whole system stops paying, reviews, stops and recovers, once.

Every service runs as its own processes behind the gateway; every step is a request a real actor sends:
1. the county officer imports two households the county already pays; this month's roster is built, locked and
   submitted, and finance pays both lines;
2. the registry exchange posts a death feed naming the one member of the first household, who died last month;
   matching raises the death (`death-detected`), casework opens a stop-or-adjust review, disbursement holds the
   household and records this month's payment, made after the death, as an overpayment to recover;
3. next month's roster leaves the household out (held, not paid), and finance never sees it;
4. the township investigates and proposes a stop from the month after the death, the county confirms it: the household
   is closed, the entitlement stopped, and the death hold released by casework's decision;
5. the family pays the month back at the bureau: the recovery order is collected and closed.

The same death reported again by another registry (a cremation feed) changes nothing, and at the end there is one
death, one hold, one death review, one stop and one recovery order. The neighbouring household is paid throughout.

Dates are the real ones: the services take "today" from the system clock, so the death falls on the 20th of last
month, this month's roster is the one paid, and next month's is the one held.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from libs.contracts.clock import CHINA_TZ, china_today
from tests.e2e.journey_recipients import (
    EVENT_TIMEOUT,
    County,
    Person,
    account_no,
    finance_lines,
    import_recipient,
    items,
    next_month,
    open_county,
    payment_file,
    period,
    person,
    previous_month,
    published,
    staff_lines,
    submitted_roster,
    this_month,
    wait_in_ledger,
    wait_watched,
)
from tests.e2e.system import Actor, WholeSystem
from tests.support.waiting import wait_until

CASES = "/api/v1/casework/cases"
FEEDS = "/api/v1/matching/feeds"
RECOVERIES = "/api/v1/disbursement/recoveries"


async def cases(county: County, household_id: str, trigger: str) -> list[dict[str, Any]]:
    """The county officer's work list of the household's cases opened by `trigger`."""
    params = {"region_code": county.code, "household_id": household_id, "trigger": trigger}
    reply = await county.officer.http.get(CASES, params=params)
    assert reply.status_code == 200, reply.text
    return list(reply.json()["items"])


async def case(county: County, case_id: str) -> dict[str, Any]:
    reply = await county.officer.http.get(f"{CASES}/{case_id}")
    assert reply.status_code == 200, reply.text
    return dict(reply.json())


async def death_holds(county: County, *, active: bool) -> list[dict[str, Any]]:
    params = {"region_code": county.code, "kind": "death", "active": str(active).lower()}
    reply = await county.officer.http.get("/api/v1/disbursement/holds", params=params)
    assert reply.status_code == 200, reply.text
    return list(reply.json()["items"])


async def recoveries(county: County, household_id: str) -> list[dict[str, Any]]:
    reply = await county.officer.http.get(RECOVERIES, params={"household_id": household_id})
    assert reply.status_code == 200, reply.text
    return list(reply.json()["items"])


async def deaths(county: County) -> list[dict[str, Any]]:
    reply = await county.officer.http.get("/api/v1/matching/deaths", params={"region_code": county.code})
    assert reply.status_code == 200, reply.text
    return list(reply.json()["items"])


async def file_of(county: County, household_id: str) -> dict[str, Any]:
    found = await payment_file(county, household_id)
    assert found is not None
    return found


async def casework_household(county: County, household_id: str) -> dict[str, Any]:
    reply = await county.officer.http.get(f"/api/v1/casework/households/{household_id}")
    assert reply.status_code == 200, reply.text
    return dict(reply.json())


async def send_feed(registry: Actor, source: str, deceased: Person, died_on: date) -> dict[str, Any]:
    """The registry exchange posts a feed of one death (CONTRACTS.md §5) and it is matched."""
    body = f"id_number,name,event_date\n{deceased.id_number},{deceased.name},{died_on.isoformat()}\n".encode()
    posted = await registry.http.post(
        FEEDS,
        params={"source": source, "as_of": china_today().isoformat()},
        content=body,
        headers={"Content-Type": "text/csv"},
    )
    assert posted.status_code == 202, posted.text
    assert posted.json()["status"] == "received"
    feed_id = posted.json()["feed_id"]

    async def feed() -> dict[str, Any]:
        reply = await registry.http.get(f"{FEEDS}/{feed_id}")
        assert reply.status_code == 200, reply.text
        return dict(reply.json())

    done = await wait_until(feed, lambda f: f["status"] in ("done", "failed"), timeout=EVENT_TIMEOUT, every=0.5)
    assert done["status"] == "done", done
    assert (done["rows_total"], done["rows_loaded"], done["rows_rejected"]) == (1, 1, 0)
    # A member's death is not a hit for the township: it is a death, raised to casework and disbursement.
    assert done["hits_raised"] == 0
    return done


async def test_a_paid_recipients_death_is_held_reviewed_stopped_and_recovered(
    whole_system: WholeSystem, engine: AsyncEngine
) -> None:
    month = this_month()
    following = next_month(month)
    died_on = previous_month(month).replace(day=20)
    county = await open_county(whole_system)
    finance = await whole_system.partner("finance", county.code)
    registry = await whole_system.partner("registry_feed", "14")

    # --- 1. Two households the county already pays; this month's roster is paid.
    widow = person(county, "1942-03-08", "701", "王秀英")
    neighbour, spouse = person(county, "1966-09-14", "713", "李国强"), person(county, "1968-02-02", "724", "赵春梅")
    widow_account, neighbour_account = account_no(county, 1), account_no(county, 2)
    alone = await import_recipient(
        county, [("head", widow)], [("dibao", "700.00")], legacy_ref="DB-2019-0042", account=widow_account
    )
    couple = await import_recipient(
        county,
        [("head", neighbour), ("spouse", spouse)],
        [("dibao", "1180.00")],
        legacy_ref="DB-2022-0107",
        account=neighbour_account,
    )
    household, other = alone["household_id"], couple["household_id"]
    assert (alone["status"], [e["status"] for e in alone["entitlements"]]) == ("active", ["active"])
    await wait_in_ledger(county, household, {"dibao"})
    await wait_in_ledger(county, other, {"dibao"})
    await wait_watched(county, households=2)

    paid_roster = await submitted_roster(county, month)
    assert (paid_roster["line_count"], paid_roster["total_amount"], paid_roster["held"]) == (2, "1880.00", {})
    listed = await finance.http.get(
        "/api/v1/finance/rosters", params={"period": period(month), "region_code": county.code, "status": "submitted"}
    )
    assert listed.status_code == 200, listed.text
    [seen] = [r for r in listed.json()["items"] if r["roster_id"] == paid_roster["roster_id"]]
    assert (seen["line_count"], seen["total_amount"]) == (2, "1880.00")
    lines = await finance_lines(finance, paid_roster["roster_id"])
    [widow_line] = [line for line in lines if line["household_id"] == household]
    # Finance pays into the card: it sees the whole number and the payee, as the bank needs them. (Compared into a
    # flag first, so a failure never prints an identity or card number.)
    whole = (widow_line["payee_id_number"], widow_line["account_no"]) == (widow.id_number, widow_account)
    assert whole, "finance's line does not carry the payee's identity number and card"
    assert (widow_line["payee_name"], widow_line["amount"]) == (widow.name, "700.00")
    # The first roster the county locks is where this system starts paying: no arrears for earlier months.
    assert items(widow_line) == [("regular", "700.00")]
    paid_at = datetime.now(CHINA_TZ).replace(microsecond=0).isoformat()  # the bank's time, in China time
    results = [
        {"line_id": line["line_id"], "status": "paid", "paid_at": paid_at,
         "bank_txn_id": f"SXRCU-{line['line_no']:04d}-{county.code}"}
        for line in lines
    ]  # fmt: skip
    reported = await finance.http.post(
        f"/api/v1/finance/rosters/{paid_roster['roster_id']}/payment-results", json={"results": results}
    )
    assert reported.status_code == 200, reported.text
    assert reported.json() == {"accepted": 2, "unchanged": 0}
    roster_now = (await county.officer.http.get(f"/api/v1/disbursement/rosters/{paid_roster['roster_id']}")).json()
    assert (roster_now["status"], roster_now["paid_lines"], roster_now["paid_amount"]) == ("paid", 2, "1880.00")
    file = await file_of(county, household)
    assert [(p["period"], p["status"], p["amount"]) for p in file["payments"]] == [(period(month), "paid", "700.00")]
    assert (file["holds"], file["recoveries"]) == ([], [])
    # The officer sees the card masked, never whole.
    leaked = widow_account in str(file)
    assert not leaked, "the officer's payment file shows the whole card number"
    assert file["account"]["account_no_masked"].endswith(widow_account[-4:])

    # --- 2. The death feed: one death, one review, one hold, one overpayment.
    await send_feed(registry, "death", widow, died_on)
    [death] = await wait_until(lambda: deaths(county), lambda d: len(d) >= 1, timeout=EVENT_TIMEOUT, every=0.5)
    assert (death["household_ids"], death["death_date"], death["source"]) == ([household], died_on.isoformat(), "death")
    leaked = widow.id_number in str(death)
    assert not leaked, "matching's death list shows the whole identity number"

    [review] = await wait_until(
        lambda: cases(county, household, "death"), lambda c: len(c) >= 1, timeout=EVENT_TIMEOUT, every=0.5
    )
    assert (review["kind"], review["status"], review["outcome"]) == ("triggered", "investigating", None)
    opened = await case(county, review["case_id"])
    assert died_on.isoformat() in opened["trigger_summary"]
    assert [h["action"] for h in opened["history"]] == ["opened"]

    [hold] = await wait_until(
        lambda: death_holds(county, active=True), lambda h: len(h) >= 1, timeout=EVENT_TIMEOUT, every=0.5
    )
    # Nothing is due from the month after the death: this month, already paid.
    assert (hold["household_id"], hold["from_period"], hold["released_at"]) == (household, period(month), None)
    [order] = await wait_until(
        lambda: recoveries(county, household), lambda r: len(r) >= 1, timeout=EVENT_TIMEOUT, every=0.5
    )
    assert (order["reason"], order["months"], order["amount"], order["outstanding"], order["status"]) == (
        "paid_after_death",
        [period(month)],
        "700.00",
        "700.00",
        "open",
    )
    # disbursement's `overpayment-detected` opens casework's review of the overpayment as well.
    [overpaid] = await wait_until(
        lambda: cases(county, household, "overpayment"), lambda c: len(c) >= 1, timeout=EVENT_TIMEOUT, every=0.5
    )
    assert "700.00" in (await case(county, overpaid["case_id"]))["trigger_summary"]
    assert await recoveries(county, other) == []

    # The same death from the crematorium: the same fact, so nothing new anywhere. Matching raises a death once per
    # person and publishes nothing for this feed, so the counts below are final once the feed is matched.
    await send_feed(registry, "cremation", widow, died_on)
    assert len(await deaths(county)) == 1
    assert await published(engine, "matching", "death-detected", household) == 1
    # Finance's view of this month is what the bank did: paid. Getting the money back is the county's business.
    paid_view = await finance.http.get(f"/api/v1/finance/rosters/{paid_roster['roster_id']}")
    assert paid_view.status_code == 200, paid_view.text
    assert (paid_view.json()["status"], paid_view.json()["total_amount"]) == ("paid", "1880.00")

    # --- 3. Next month's roster holds the household: no line, nothing paid, finance never sees it.
    held_roster = await submitted_roster(county, following)
    assert (held_roster["line_count"], held_roster["total_amount"], held_roster["held"]) == (1, "1180.00", {"death": 1})
    assert [line["household_id"] for line in await staff_lines(county, held_roster["roster_id"])] == [other]
    listed = await finance.http.get(
        "/api/v1/finance/rosters",
        params={"period": period(following), "region_code": county.code, "status": "submitted"},
    )
    assert listed.status_code == 200, listed.text
    [seen] = [r for r in listed.json()["items"] if r["roster_id"] == held_roster["roster_id"]]
    assert (seen["line_count"], seen["total_amount"]) == (1, "1180.00")
    next_lines = await finance_lines(finance, held_roster["roster_id"])
    assert [line["household_id"] for line in next_lines] == [other]
    on_roster = any(line["payee_id_number"] == widow.id_number for line in next_lines)
    assert not on_roster, "the deceased is on next month's roster"
    file = await file_of(county, household)
    assert [p["period"] for p in file["payments"]] == [period(month)]

    # --- 4. The review: the township investigates and proposes a stop from the month after the death; the county
    # confirms it.
    investigation = {
        "investigators": [{"user": "inv-1", "name": "民政办 调查员甲"}, {"user": "inv-2", "name": "民政办 调查员乙"}],
        "visited_on": china_today().isoformat(),
        "findings": "入户核实：本人已于上月病故，火化证明已见",
        "neighbour_visits": "走访邻居两户，情况属实",
        # A review carries the household's commitment (issue 21): after a death, a relative signs it.
        "commitment": {
            "signed": True,
            "signed_by": "张明",
            "signer_relation": "子女",
            "signed_on": china_today().isoformat(),
        },
    }
    path = f"{CASES}/{review['case_id']}"
    reply = await county.township.http.post(f"{path}/investigations", json=investigation)
    assert reply.status_code == 201, reply.text
    proposal = {"outcome": "stopped", "reasons": ["保障对象死亡，次月停发"], "effective_month": period(month)}
    reply = await county.township.http.post(f"{path}/proposal", json=proposal)
    assert reply.status_code == 200, reply.text
    assert reply.json()["status"] == "confirmation"  # a review is not posted for publicity again
    reply = await county.officer.http.post(f"{path}/decision", json={"decision": "confirm"})
    assert reply.status_code == 200, reply.text
    decided = reply.json()
    assert (decided["outcome"], decided["effective_month"]) == ("stopped", period(month))
    # A second confirmation is refused: the case is decided once.
    again = await county.officer.http.post(f"{path}/decision", json={"decision": "confirm"})
    assert again.status_code == 409, again.text

    stopped = await casework_household(county, household)
    assert stopped["status"] == "closed"
    assert [(e["status"], e["effective_from"]) for e in stopped["entitlements"]] == [("stopped", period(month))]
    versions = await county.officer.http.get(f"/api/v1/casework/households/{household}/versions")
    assert versions.status_code == 200, versions.text
    assert sum(v["changes"].count("closed") for v in versions.json()) == 1

    # Casework's `entitlement-changed` reaches disbursement: the entitlement stops and the death hold is released,
    # since nothing lists the person any more. The stop names a month already recovered: no second order.
    def settled(f: dict[str, Any]) -> bool:
        return [e["status"] for e in f["entitlements"]] == ["stopped"] and all(h["released_at"] for h in f["holds"])

    file = await wait_until(lambda: file_of(county, household), settled, timeout=EVENT_TIMEOUT, every=0.5)
    [released] = file["holds"]
    assert (released["hold_id"], released["kind"], released["released_by"]) == (hold["hold_id"], "death", "casework")
    assert await death_holds(county, active=True) == []
    [order] = file["recoveries"]
    assert (order["reason"], order["outstanding"], order["status"]) == ("paid_after_death", "700.00", "open")

    # --- 5. The family pays the month back at the bureau: the order is collected and closed.
    collection = {"amount": "700.00", "received_on": china_today().isoformat(), "note": "家属到县民政局现金退回"}
    reply = await county.officer.http.post(f"{RECOVERIES}/{order['recovery_id']}/collections", json=collection)
    assert reply.status_code == 201, reply.text
    recovered = reply.json()
    assert (recovered["status"], recovered["collected"], recovered["outstanding"]) == ("recovered", "700.00", "0.00")
    assert recovered["closed_at"] is not None
    twice = await county.officer.http.post(f"{RECOVERIES}/{order['recovery_id']}/collections", json=collection)
    assert twice.status_code == 409, twice.text
    assert twice.json()["code"] == "recovery_closed"

    # --- Nothing applied twice: one death, one hold, one death review (decided once), one stop, one recovery.
    assert len(await deaths(county)) == 1
    [only_review] = await cases(county, household, "death")
    assert (only_review["case_id"], only_review["outcome"]) == (review["case_id"], "stopped")
    history = [h["action"] for h in (await case(county, review["case_id"]))["history"]]
    assert history.count("confirmed") == 1, history
    assert len(await cases(county, household, "overpayment")) == 1
    assert await published(engine, "disbursement", "overpayment-detected", household) == 1
    assert await published(engine, "matching", "death-detected", household) == 1
    final = await file_of(county, household)
    assert len(final["holds"]) == 1
    [final_order] = final["recoveries"]
    assert (final_order["recovery_id"], final_order["status"]) == (order["recovery_id"], "recovered")
    assert [p["period"] for p in final["payments"]] == [period(month)]
    # The neighbours were paid this month and are on next month's roster, untouched by any of it.
    neighbours = await file_of(county, other)
    assert (neighbours["holds"], neighbours["recoveries"]) == ([], [])
    assert [p["period"] for p in neighbours["payments"]] == [period(following), period(month)]
