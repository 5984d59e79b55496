"""Payment results from finance (CONTRACTS.md §3): idempotent per line, all or nothing per batch; a failed line holds
the account, tells casework (`payment-failed`, §6) and is carried to the next month once the account is fixed
(DOMAIN.md §9)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from services.disbursement.rosters.models import RosterLine
from tests.disbursement.support import (
    FINANCE,
    Broker,
    DisbursementApi,
    Household,
    entitled,
    failed,
    fresh_account,
    new_county,
    officer,
    paid,
)

State = dict[str, tuple[str, str | None, str | None, str | None]]


async def _lines(api: DisbursementApi, roster_id: str) -> State:
    """Each line's status, bank transaction, failure reason and report time, straight from the table."""
    async with api.db.sessions() as s:
        rows = (await s.scalars(select(RosterLine).where(RosterLine.roster_id == roster_id))).all()
    return {
        r.line_id: (r.status, r.bank_txn_id, r.failure_reason, r.reported_at.isoformat() if r.reported_at else None)
        for r in rows
    }


async def _statuses(api: DisbursementApi, roster_id: str) -> dict[str, str]:
    return {line_id: state[0] for line_id, state in (await _lines(api, roster_id)).items()}


async def _roster(api: DisbursementApi, roster: dict[str, Any]) -> dict[str, Any]:
    reply = await api.get(f"/api/v1/disbursement/rosters/{roster['roster_id']}", officer(roster["region_code"]))
    assert reply.status_code == 200, reply.text
    return dict(reply.json())


async def _counts(api: DisbursementApi, roster: dict[str, Any]) -> tuple[str, int, str, int, str]:
    r = await _roster(api, roster)
    return r["status"], r["paid_lines"], r["paid_amount"], r["failed_lines"], r["failed_amount"]


def _sum(*lines: dict[str, Any]) -> str:
    return f"{sum(Decimal(line['amount']) for line in lines):.2f}"


async def _setup(api: DisbursementApi, broker: Broker, n: int = 3) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    county = new_county()
    for i in range(n):
        await entitled(broker, county, amount=f"{100 * (i + 1)}.00")
    roster = await api.submitted(county, "2026-12")
    lines = await api.finance_lines(roster["roster_id"])
    assert len(lines) == n
    return roster, lines


# --- counts and idempotency ---


async def test_accepted_lines_are_marked_and_counted(api: DisbursementApi, broker: Broker) -> None:
    roster, (a, b, c) = await _setup(api, broker)
    reply = await api.report(roster["roster_id"], [paid(a, "TXN-A"), paid(b, "TXN-B")])
    assert reply.status_code == 200, reply.text
    assert reply.json() == {"accepted": 2, "unchanged": 0}
    state = await _lines(api, roster["roster_id"])
    assert state[a["line_id"]][:2] == ("paid", "TXN-A")
    assert state[b["line_id"]][:2] == ("paid", "TXN-B")
    assert state[c["line_id"]] == ("pending", None, None, None)
    # Some lines still pending: the roster stays submitted.
    assert await _counts(api, roster) == ("submitted", 2, _sum(a, b), 0, "0.00")


async def test_the_same_batch_twice_changes_nothing_the_second_time(api: DisbursementApi, broker: Broker) -> None:
    roster, (a, b, c) = await _setup(api, broker)
    batch = [paid(a), paid(b), failed(c)]
    assert (await api.report(roster["roster_id"], batch)).json() == {"accepted": 3, "unchanged": 0}
    before = await _lines(api, roster["roster_id"])
    counts = await _counts(api, roster)
    api.clock.set_day(api.clock().date().replace(day=12))  # a later repeat would stamp a later time if applied
    again = await api.report(roster["roster_id"], batch)
    assert again.status_code == 200, again.text
    assert again.json() == {"accepted": 0, "unchanged": 3}
    assert await _lines(api, roster["roster_id"]) == before
    assert await _counts(api, roster) == counts == ("partially_failed", 2, _sum(a, b), 1, _sum(c))
    events = await api.outbox_events("payment-failed", subject=f"household/{c['household_id']}")
    assert len(events) == 1


async def test_a_partly_overlapping_batch(api: DisbursementApi, broker: Broker) -> None:
    roster, (a, b, c) = await _setup(api, broker)
    assert (await api.report(roster["roster_id"], [paid(a), paid(b)])).json() == {"accepted": 2, "unchanged": 0}
    reply = await api.report(roster["roster_id"], [paid(b), paid(c)])
    assert reply.json() == {"accepted": 1, "unchanged": 1}
    assert set((await _statuses(api, roster["roster_id"])).values()) == {"paid"}
    assert await _counts(api, roster) == ("paid", 3, "600.00", 0, "0.00")


async def test_a_line_repeated_identically_in_one_batch_counts_once(api: DisbursementApi, broker: Broker) -> None:
    roster, (a, _, _) = await _setup(api, broker)
    reply = await api.report(roster["roster_id"], [paid(a, "T1"), paid(a, "T1")])
    assert reply.status_code == 200, reply.text
    assert reply.json() == {"accepted": 1, "unchanged": 0}
    assert (await _counts(api, roster))[1:3] == (1, _sum(a))


# --- rejected batches apply nothing ---


async def _unchanged(api: DisbursementApi, roster: dict[str, Any], before: State, counts: Any) -> None:
    assert await _lines(api, roster["roster_id"]) == before
    assert await _counts(api, roster) == counts


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (lambda line: paid(line, "T1"), lambda line: failed(line)),
        (lambda line: paid(line, "T1"), lambda line: paid(line, "T2")),
        (lambda line: failed(line), lambda line: paid(line, "T1")),
    ],
    ids=["paid-then-failed", "paid-with-another-txn", "failed-then-paid"],
)
async def test_a_different_outcome_for_a_reported_line_is_409_and_nothing_applied(
    api: DisbursementApi, broker: Broker, first: Any, second: Any
) -> None:
    roster, (a, b, c) = await _setup(api, broker)
    assert (await api.report(roster["roster_id"], [first(a)])).status_code == 200
    before, counts = await _lines(api, roster["roster_id"]), await _counts(api, roster)
    failures = len(await api.outbox_events("payment-failed", subject=f"household/{a['household_id']}"))
    reply = await api.report(roster["roster_id"], [paid(b), second(a), failed(c)])
    assert reply.status_code == 409, reply.text
    assert reply.json()["code"] == "result_conflict"
    assert reply.json()["lines"] == [a["line_id"]]
    await _unchanged(api, roster, before, counts)
    assert before[b["line_id"]][0] == before[c["line_id"]][0] == "pending"
    after = await api.outbox_events("payment-failed", subject=f"household/{a['household_id']}")
    assert len(after) == failures
    assert await api.outbox_events("payment-failed", subject=f"household/{c['household_id']}") == []


async def test_an_unknown_line_is_422_and_nothing_applied(api: DisbursementApi, broker: Broker) -> None:
    roster, (a, b, _) = await _setup(api, broker)
    before, counts = await _lines(api, roster["roster_id"]), await _counts(api, roster)
    ghost = {**paid(a), "line_id": "no-such-line"}
    reply = await api.report(roster["roster_id"], [paid(a), ghost, failed(b)])
    assert reply.status_code == 422, reply.text
    assert reply.json()["code"] == "unknown_line"
    assert reply.json()["lines"] == ["no-such-line"]
    await _unchanged(api, roster, before, counts)
    assert await api.outbox_events("payment-failed", subject=f"household/{b['household_id']}") == []


async def test_a_line_of_another_roster_is_422_and_neither_roster_changes(api: DisbursementApi, broker: Broker) -> None:
    roster, (a, _, _) = await _setup(api, broker)
    other, (x, _) = await _setup(api, broker, 2)
    before, counts = await _lines(api, roster["roster_id"]), await _counts(api, roster)
    other_before = await _lines(api, other["roster_id"])
    reply = await api.report(roster["roster_id"], [paid(a), paid(x)])
    assert reply.status_code == 422, reply.text
    assert reply.json()["code"] == "unknown_line"
    assert reply.json()["lines"] == [x["line_id"]]
    await _unchanged(api, roster, before, counts)
    assert await _lines(api, other["roster_id"]) == other_before


@pytest.mark.parametrize(
    "twice",
    [lambda line: [paid(line, "T1"), failed(line)], lambda line: [paid(line, "T1"), paid(line, "T2")]],
    ids=["paid-and-failed", "two-transactions"],
)
async def test_one_line_twice_differently_in_a_batch_is_422(api: DisbursementApi, broker: Broker, twice: Any) -> None:
    roster, (a, b, _) = await _setup(api, broker)
    before, counts = await _lines(api, roster["roster_id"]), await _counts(api, roster)
    reply = await api.report(roster["roster_id"], [paid(b), *twice(a)])
    assert reply.status_code == 422, reply.text
    assert reply.json()["code"] == "conflicting_results"
    assert reply.json()["lines"] == [a["line_id"]]
    await _unchanged(api, roster, before, counts)


def _without(result: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in result.items() if k != key}


BAD_BATCHES: dict[str, Any] = {
    "paid-without-txn": lambda a: [_without(paid(a), "bank_txn_id")],
    "paid-without-paid-at": lambda a: [_without(paid(a), "paid_at")],
    "paid-at-without-offset": lambda a: [{**paid(a), "paid_at": "2026-12-10T10:00:00"}],
    "failed-without-reason": lambda a: [_without(failed(a), "failure_reason")],
    "failed-with-empty-reason": lambda a: [failed(a, "")],
    "bad-status": lambda a: [{**paid(a), "status": "refunded"}],
    "no-line-id": lambda a: [_without(paid(a), "line_id")],
    "empty": lambda a: [],
}


@pytest.mark.parametrize("bad", BAD_BATCHES.values(), ids=BAD_BATCHES.keys())
async def test_an_invalid_result_is_422_and_nothing_applied(api: DisbursementApi, broker: Broker, bad: Any) -> None:
    roster, (a, b, _) = await _setup(api, broker)
    before, counts = await _lines(api, roster["roster_id"]), await _counts(api, roster)
    results = bad(a)
    reply = await api.report(roster["roster_id"], [paid(b), *results] if results else [])
    assert reply.status_code == 422, reply.text
    assert reply.json()["code"] == "validation_failed"
    assert reply.json()["errors"]
    await _unchanged(api, roster, before, counts)


async def test_more_than_results_batch_max_is_413_before_any_lookup(api: DisbursementApi, broker: Broker) -> None:
    roster, (a, _, _) = await _setup(api, broker)
    before, counts = await _lines(api, roster["roster_id"]), await _counts(api, roster)
    fakes = [{**paid(a), "line_id": f"fake-{i}"} for i in range(10_001)]  # results_batch_max + 1
    reply = await api.report(roster["roster_id"], [paid(a), *fakes[1:]])
    assert reply.status_code == 413, reply.text
    assert reply.json()["code"] == "too_many_results"
    await _unchanged(api, roster, before, counts)
    # Refused on its size alone: not even the roster is looked up.
    assert (await api.report("no-such-roster", fakes)).status_code == 413
    # At the maximum the batch is read, and its unknown lines refuse it.
    at_max = await api.report(roster["roster_id"], fakes[:10_000])
    assert at_max.status_code == 422
    assert at_max.json()["code"] == "unknown_line"
    await _unchanged(api, roster, before, counts)


# --- the roster's status ---


async def test_a_roster_is_paid_once_every_line_is_paid(api: DisbursementApi, broker: Broker) -> None:
    roster, (a, b, c) = await _setup(api, broker)
    await api.report(roster["roster_id"], [paid(a)])
    assert (await _counts(api, roster))[0] == "submitted"
    await api.report(roster["roster_id"], [paid(b), paid(c)])
    assert await _counts(api, roster) == ("paid", 3, "600.00", 0, "0.00")
    seen = await api.get(f"/api/v1/finance/rosters/{roster['roster_id']}", FINANCE)
    assert seen.json()["status"] == "paid"


async def test_a_roster_with_a_failed_line_is_partially_failed(api: DisbursementApi, broker: Broker) -> None:
    roster, (a, b, c) = await _setup(api, broker)
    await api.report(roster["roster_id"], [paid(a), failed(b)])
    assert (await _counts(api, roster))[0] == "submitted"
    await api.report(roster["roster_id"], [paid(c)])
    assert await _counts(api, roster) == ("partially_failed", 2, _sum(a, c), 1, _sum(b))


async def test_results_on_a_reconciled_roster_are_409(api: DisbursementApi, broker: Broker) -> None:
    roster, lines = await _setup(api, broker, 2)
    await api.report(roster["roster_id"], [paid(line) for line in lines])
    await api.act(roster, "reconcile")
    before, counts = await _lines(api, roster["roster_id"]), await _counts(api, roster)
    for batch in ([paid(line) for line in lines], [failed(lines[0])]):
        reply = await api.report(roster["roster_id"], batch)
        assert reply.status_code == 409, reply.text
        assert reply.json()["code"] == "roster_reconciled"
    await _unchanged(api, roster, before, counts)
    assert counts[0] == "reconciled"


async def test_a_roster_without_lines_can_be_reconciled(api: DisbursementApi, broker: Broker) -> None:
    county = new_county()
    await entitled(broker, county, with_account=False)  # held: no account on file
    roster = await api.submitted(county, "2026-12")
    assert roster["line_count"] == 0
    # No result can ever arrive (a batch needs at least one), so nothing else would move it on.
    reply = await api.post(f"/api/v1/disbursement/rosters/{roster['roster_id']}/reconcile", officer(county))
    assert reply.status_code == 200, reply.text
    assert (await _roster(api, roster))["status"] == "reconciled"


# --- a failed line ---


async def _failed_household(
    api: DisbursementApi, broker: Broker
) -> tuple[Household, Household, dict[str, Any], dict[str, Any]]:
    county = new_county()
    h = await entitled(broker, county, amount="560.00")
    other = await entitled(broker, county, amount="300.00")
    roster = await api.submitted(county, "2026-12")
    lines = {line["household_id"]: line for line in await api.finance_lines(roster["roster_id"])}
    reply = await api.report(roster["roster_id"], [failed(lines[h.household_id]), paid(lines[other.household_id])])
    assert reply.json() == {"accepted": 2, "unchanged": 0}
    return h, other, roster, lines[h.household_id]


async def test_a_failed_line_raises_payment_failed_without_bank_or_id_data(
    api: DisbursementApi, broker: Broker
) -> None:
    h, other, roster, line = await _failed_household(api, broker)
    [event] = await api.outbox_events("payment-failed", subject=f"household/{h.household_id}")
    assert event.source == "disbursement"
    data = event.data
    assert data["roster_id"] == roster["roster_id"]
    assert data["line_id"] == line["line_id"]
    assert data["period"] == "2026-12"
    assert data["household_id"] == h.household_id
    assert data["program"] == "dibao"
    assert data["amount"] == "560.00"
    assert data["failure_reason"] == "账户已销户 account closed"
    # DOMAIN.md §11: in events only what the consumer needs; casework does not need the account or the ID number.
    raw = event.to_bytes().decode()
    assert h.account_no not in raw
    assert h.account_no[-8:] not in raw
    assert h.head.id_number not in raw
    assert await api.outbox_events("payment-failed", subject=f"household/{other.household_id}") == []


async def test_a_failed_line_marks_the_account_failed_and_holds_it(api: DisbursementApi, broker: Broker) -> None:
    h, other, _, _ = await _failed_household(api, broker)
    file = await api.household(h)
    assert file["account"]["status"] == "failed"
    assert file["account"]["failure_reason"] == "账户已销户 account closed"
    active = [hold for hold in file["holds"] if hold["released_at"] is None]
    assert [hold["kind"] for hold in active] == ["account"]
    # December is owed again from here.
    assert file["entitlements"][0]["unsettled_from"] == "2026-12"
    untouched = await api.household(other)
    assert untouched["account"]["status"] == "ok"
    assert [hold for hold in untouched["holds"] if hold["released_at"] is None] == []


async def test_the_next_roster_leaves_the_failed_household_off(api: DisbursementApi, broker: Broker) -> None:
    h, other, _, _ = await _failed_household(api, broker)
    january = await api.build(h.county, "2027-01")
    assert january["held"] == {"account": 1}
    lines = await api.staff_lines(january)
    assert [line["household_id"] for line in lines] == [other.household_id]
    assert january["total_amount"] == "300.00"


async def _fix(api: DisbursementApi, h: Household, account_no: str) -> dict[str, Any]:
    body = {"bank_code": "ABC", "holder_name": "王五", "account_no": account_no, "reason": "户主换发新卡"}
    reply = await api.put(f"/api/v1/disbursement/households/{h.household_id}/bank-account", officer(h.county), body)
    assert reply.status_code == 200, reply.text
    return dict(reply.json())


async def test_a_fixed_account_is_paid_the_failed_month_as_arrears(api: DisbursementApi, broker: Broker) -> None:
    h, other, _, _ = await _failed_household(api, broker)
    january = await api.build(h.county, "2027-01")
    new_no = fresh_account()
    fixed = await _fix(api, h, new_no)
    assert fixed["status"] == "ok"
    assert fixed["account_no_masked"].endswith(new_no[-4:])
    file = await api.household(h)
    assert [hold["kind"] for hold in file["holds"] if hold["released_at"] is None] == []
    # The fix changed what the county pays: the draft built before it must be rebuilt.
    stale = await api.post(f"/api/v1/disbursement/rosters/{january['roster_id']}/lock", officer(h.county))
    assert stale.status_code == 409
    assert stale.json()["code"] == "roster_outdated"
    january = await api.act(january, "rebuild")
    await api.act(january, "lock")
    january = await api.act(january, "submit")
    lines = {line["household_id"]: line for line in await api.finance_lines(january["roster_id"])}
    mine = lines[h.household_id]
    assert mine["account_no"] == new_no
    assert mine["bank_code"] == "ABC"
    assert mine["amount"] == "1120.00"
    assert [(i["kind"], i["amount"]) for i in mine["items"]] == [("regular", "560.00"), ("arrears", "560.00")]
    assert lines[other.household_id]["amount"] == "300.00"
    assert january["total_amount"] == "1420.00"


async def test_a_fix_after_a_held_month_pays_every_missed_month(api: DisbursementApi, broker: Broker) -> None:
    h, other, _, _ = await _failed_household(api, broker)
    january = await api.submitted(h.county, "2027-01")  # sent without the held household
    assert january["held"] == {"account": 1}
    await _fix(api, h, fresh_account())
    february = await api.submitted(h.county, "2027-02")
    lines = {line["household_id"]: line for line in await api.finance_lines(february["roster_id"])}
    mine = lines[h.household_id]
    assert mine["amount"] == "1680.00"
    assert [(i["kind"], i["amount"]) for i in mine["items"]] == [
        ("regular", "560.00"),
        ("arrears", "560.00"),
        ("arrears", "560.00"),
    ]
    assert lines[other.household_id]["amount"] == "300.00"
    # Once carried, December is not owed a third time.
    march = await api.build(h.county, "2027-03")
    lines = {line["household_id"]: line for line in await api.staff_lines(march)}
    assert lines[h.household_id]["amount"] == "560.00"


async def test_a_bad_account_fix_is_422_and_the_hold_stays(api: DisbursementApi, broker: Broker) -> None:
    h, _, _, _ = await _failed_household(api, broker)
    path = f"/api/v1/disbursement/households/{h.household_id}/bank-account"
    for body in (
        {"bank_code": "ABC", "holder_name": "王五", "account_no": "62-22", "reason": "x"},
        {"bank_code": "ABC", "holder_name": "王五", "account_no": fresh_account()},
        {"bank_code": "ABC", "holder_name": "王五", "account_no": fresh_account(), "reason": ""},
    ):
        reply = await api.put(path, officer(h.county), body)
        assert reply.status_code == 422, reply.text
    elsewhere = await api.put(
        path,
        officer(new_county()),
        {"bank_code": "ABC", "holder_name": "王五", "account_no": fresh_account(), "reason": "x"},
    )
    assert elsewhere.status_code == 404
    file = await api.household(h)
    assert file["account"]["status"] == "failed"
    assert [hold["kind"] for hold in file["holds"] if hold["released_at"] is None] == ["account"]
