"""Overpayments and recovery orders (追回, DOMAIN.md §9): paid after a death or a stop, or more than a retroactive
decision allows → one order per overpayment and `overpayment-detected` (CONTRACTS.md §6); deducted from later lines
(at most half a line a month, oldest order first), collected, or waived."""

from __future__ import annotations

from datetime import date
from typing import Any

from libs.contracts.events.casework import EntitlementStatus
from tests.disbursement.support import (
    Broker,
    DisbursementApi,
    Household,
    change,
    died,
    entitled,
    failed,
    fresh_account,
    items,
    line_of,
    new_county,
    officer,
    paid,
    township,
)

RECOVERIES = "/api/v1/disbursement/recoveries"


async def orders(api: DisbursementApi, household: Household, status: str | None = None) -> list[dict[str, Any]]:
    params = {"household_id": household.household_id, **({"status": status} if status else {})}
    reply = await api.get(RECOVERIES, officer(household.county), params)
    assert reply.status_code == 200, reply.text
    return list(reply.json()["items"])


async def order(api: DisbursementApi, household: Household, recovery_id: str) -> dict[str, Any]:
    reply = await api.get(f"{RECOVERIES}/{recovery_id}", officer(household.county))
    assert reply.status_code == 200, reply.text
    return dict(reply.json())


async def month(
    api: DisbursementApi, county: str, period: str, *, fail: set[str] | None = None
) -> list[dict[str, Any]]:
    """`period`'s roster built on the 2nd, locked, submitted and reported on the 10th (the households in `fail`
    failed, the rest paid); returns its lines as finance saw them."""
    year, mon = (int(p) for p in period.split("-"))
    api.clock.set_day(date(year, mon, 2))
    roster = await api.submitted(county, period)
    lines = await api.finance_lines(roster["roster_id"])
    api.clock.set_day(date(year, mon, 10))
    results = [failed(line) if line["household_id"] in (fail or set()) else paid(line) for line in lines]
    reply = await api.report(roster["roster_id"], results)
    assert reply.status_code == 200, reply.text
    return lines


async def overpayments(api: DisbursementApi, household: Household) -> list[dict[str, Any]]:
    events = await api.outbox_events("overpayment-detected", subject=f"household/{household.household_id}")
    return [dict(e.data) for e in events]


async def test_a_death_after_the_lock_paid_becomes_a_recovery(api: DisbursementApi, broker: Broker) -> None:
    """THE must-show: the December roster went to finance before matching found the only member died in November."""
    county = new_county()
    alone = await entitled(broker, county, amount="560.00", members=1)
    other = await entitled(broker, county, amount="480.00")
    roster = await api.submitted(county, "2026-12")  # 2 December
    lines = await api.finance_lines(roster["roster_id"])
    line = line_of(lines, alone)
    assert items(line) == [("regular", "560.00")]

    api.clock.set_day(date(2026, 12, 8))
    await died(broker, alone.head, date(2026, 11, 20), alone)
    assert await orders(api, alone) == []  # nothing paid yet: nothing to recover
    api.clock.set_day(date(2026, 12, 10))
    reply = await api.report(roster["roster_id"], [paid(line) for line in lines])
    assert reply.json() == {"accepted": 2, "unchanged": 0}, reply.text

    [recovery] = await orders(api, alone)
    assert recovery["reason"] == "paid_after_death"
    assert recovery["months"] == ["2026-12"]
    assert recovery["amount"] == recovery["outstanding"] == "560.00"
    assert recovery["status"] == "open"
    [event] = await overpayments(api, alone)
    assert (event["household_id"], event["months"], event["amount"], event["reason"]) == (
        alone.household_id,
        ["2026-12"],
        "560.00",
        "paid_after_death",
    )
    assert await orders(api, other) == []

    # January: the household is held (no line, nothing to deduct from), the other is paid.
    api.clock.set_day(date(2027, 1, 2))
    january = await api.build(county, "2027-01")
    assert [line["household_id"] for line in await api.staff_lines(january)] == [other.household_id]
    assert january["held"] == {"death": 1}
    assert [h["kind"] for h in (await api.household(alone))["holds"]] == ["death"]


async def test_a_stop_after_payment_becomes_a_recovery(api: DisbursementApi, broker: Broker) -> None:
    county = new_county()
    household = await entitled(broker, county, amount="600.00")
    await month(api, county, "2026-12")
    api.clock.set_day(date(2026, 12, 15))
    # Casework stops the entitlement from December (the household's income rose in November).
    await change(broker, household, amount="0.00", status=EntitlementStatus.STOPPED, effective_from="2026-12")

    [recovery] = await orders(api, household)
    assert (recovery["reason"], recovery["months"], recovery["amount"]) == ("paid_after_stop", ["2026-12"], "600.00")
    assert len(await overpayments(api, household)) == 1
    api.clock.set_day(date(2027, 1, 2))
    assert await api.staff_lines(await api.build(county, "2027-01")) == []


async def test_a_stop_between_lock_and_payment_is_found_when_paid(api: DisbursementApi, broker: Broker) -> None:
    county = new_county()
    household = await entitled(broker, county, amount="600.00")
    roster = await api.submitted(county, "2026-12")
    api.clock.set_day(date(2026, 12, 6))
    await change(broker, household, amount="0.00", status=EntitlementStatus.SUSPENDED, effective_from="2026-12")
    assert await orders(api, household) == []
    api.clock.set_day(date(2026, 12, 10))
    lines = await api.finance_lines(roster["roster_id"])
    assert (await api.report(roster["roster_id"], [paid(lines[0])])).status_code == 200

    [recovery] = await orders(api, household)
    assert (recovery["reason"], recovery["months"], recovery["amount"]) == ("paid_after_stop", ["2026-12"], "600.00")


async def reduced(api: DisbursementApi, broker: Broker, paid_amount: str, *amounts: str) -> tuple[str, Household]:
    """A household paid `paid_amount` for December, then decided retroactively at each of `amounts` from December
    (one a day from the 15th): each reduction raises an order for what December was overpaid."""
    county = new_county()
    household = await entitled(broker, county, amount=paid_amount)
    await month(api, county, "2026-12")
    for day, amount in enumerate(amounts, start=15):
        api.clock.set_day(date(2026, 12, day))
        await change(broker, household, amount=amount, effective_from="2026-12")
    return county, household


async def test_deductions_take_at_most_half_a_line_until_recovered(api: DisbursementApi, broker: Broker) -> None:
    county, household = await reduced(api, broker, "1000.00", "400.00")
    [recovery] = await orders(api, household)
    assert (recovery["reason"], recovery["amount"]) == ("other", "600.00")

    for period, deducted, outstanding in (("2027-01", "200.00", "400.00"), ("2027-02", "400.00", "200.00")):
        line = line_of(await month(api, county, period), household)
        assert items(line) == [("regular", "400.00"), ("recovery", "-200.00")]
        assert line["amount"] == "200.00"
        now = await order(api, household, recovery["recovery_id"])
        assert (now["status"], now["deducted"], now["outstanding"]) == ("open", deducted, outstanding)

    line = line_of(await month(api, county, "2027-03"), household)
    assert items(line) == [("regular", "400.00"), ("recovery", "-200.00")]
    now = await order(api, household, recovery["recovery_id"])
    assert (now["status"], now["deducted"], now["outstanding"]) == ("recovered", "600.00", "0.00")
    assert now["closed_at"] is not None
    # Nothing more is taken once recovered.
    assert items(line_of(await month(api, county, "2027-04"), household)) == [("regular", "400.00")]


async def test_the_oldest_order_is_deducted_first(api: DisbursementApi, broker: Broker) -> None:
    county, household = await reduced(api, broker, "1000.00", "800.00", "500.00")
    older, newer = sorted(await orders(api, household), key=lambda r: r["detected_at"])
    assert (older["amount"], newer["amount"]) == ("200.00", "300.00")
    # The list pages newest first: one a page, the cursor leads to the older one and no further.
    first = (await api.get(RECOVERIES, officer(county), {"limit": "1"})).json()
    assert [r["recovery_id"] for r in first["items"]] == [newer["recovery_id"]]
    second = (await api.get(RECOVERIES, officer(county), {"limit": "1", "cursor": first["next_cursor"]})).json()
    assert ([r["recovery_id"] for r in second["items"]], second["next_cursor"]) == ([older["recovery_id"]], None)
    forged = await api.get(RECOVERIES, officer(county), {"cursor": "not-a-cursor"})
    assert forged.status_code == 422

    line = line_of(await month(api, county, "2027-01"), household)
    # Half of 500.00: 200.00 settles the older order, 50.00 goes to the newer.
    assert [(i["kind"], i["amount"], older["recovery_id"] in i["note"]) for i in line["items"]] == [
        ("regular", "500.00", False),
        ("recovery", "-200.00", True),
        ("recovery", "-50.00", False),
    ]
    assert line["amount"] == "250.00"
    assert (await order(api, household, older["recovery_id"]))["status"] == "recovered"
    now = await order(api, household, newer["recovery_id"])
    assert (now["status"], now["outstanding"]) == ("open", "250.00")


async def test_a_failed_line_gives_its_deduction_back(api: DisbursementApi, broker: Broker) -> None:
    county, household = await reduced(api, broker, "1000.00", "800.00")
    [recovery] = await orders(api, household)
    api.clock.set_day(date(2027, 1, 2))
    january = await api.build(county, "2027-01")
    await api.act(january, "lock")
    assert (await order(api, household, recovery["recovery_id"]))["status"] == "recovered"  # taken at the lock

    await api.act(january, "submit")
    [line] = await api.finance_lines(january["roster_id"])
    assert items(line) == [("regular", "800.00"), ("recovery", "-200.00")]
    assert (await api.report(january["roster_id"], [failed(line)])).status_code == 200
    now = await order(api, household, recovery["recovery_id"])
    assert (now["status"], now["deducted"], now["outstanding"], now["closed_at"]) == ("open", "0.00", "200.00", None)

    # Once the account is fixed, February pays January again and takes the deduction again.
    fix = {"bank_code": "ICBC", "holder_name": "王五", "account_no": fresh_account(), "reason": "新卡 new card"}
    reply = await api.put(
        f"/api/v1/disbursement/households/{household.household_id}/bank-account", officer(county), fix
    )
    assert reply.status_code == 200, reply.text
    line = line_of(await month(api, county, "2027-02"), household)
    assert items(line) == [("regular", "800.00"), ("arrears", "800.00"), ("recovery", "-200.00")]
    assert (await order(api, household, recovery["recovery_id"]))["status"] == "recovered"


async def collect(api: DisbursementApi, household: Household, recovery_id: str, amount: str) -> Any:
    body = {"amount": amount, "received_on": "2026-12-01", "note": "现金退回 cash"}
    return await api.post(f"{RECOVERIES}/{recovery_id}/collections", officer(household.county), body)


async def test_collections_up_to_what_is_outstanding(api: DisbursementApi, broker: Broker) -> None:
    county, household = await reduced(api, broker, "1000.00", "400.00")
    [recovery] = await orders(api, household)
    rid = recovery["recovery_id"]

    too_much = await collect(api, household, rid, "600.01")
    assert too_much.status_code == 422, too_much.text
    assert too_much.json()["code"] == "amount_exceeds_outstanding"
    assert (await order(api, household, rid))["collected"] == "0.00"
    assert (await collect(api, household, rid, "0.00")).status_code == 422
    assert (
        await api.post(
            f"{RECOVERIES}/{rid}/collections",
            township(household.region_code),
            {"amount": "1.00", "received_on": "2026-12-01"},
        )
    ).status_code == 403

    part = await collect(api, household, rid, "450.00")
    assert part.status_code == 201, part.text
    assert (part.json()["collected"], part.json()["outstanding"], part.json()["status"]) == ("450.00", "150.00", "open")
    # January takes only what is left (150.00, under half of 400.00).
    line = line_of(await month(api, county, "2027-01"), household)
    assert items(line) == [("regular", "400.00"), ("recovery", "-150.00")]
    now = await order(api, household, rid)
    assert (now["status"], now["deducted"], now["collected"], now["outstanding"]) == (
        "recovered",
        "150.00",
        "450.00",
        "0.00",
    )

    closed = await collect(api, household, rid, "1.00")
    assert closed.status_code == 409, closed.text
    assert closed.json()["code"] == "recovery_closed"
    # What was paid back is listed as recorded, for the order's page; only the refused attempts are missing.
    listed = await api.get(f"{RECOVERIES}/{rid}/collections", township(household.region_code))
    assert listed.status_code == 200, listed.text
    assert [(c["amount"], c["received_on"], c["note"]) for c in listed.json()] == [
        ("450.00", "2026-12-01", "现金退回 cash")
    ]
    assert listed.json()[0]["recorded_by"].startswith("u-")  # the officer who recorded it, by user id
    elsewhere = await api.get(f"{RECOVERIES}/{rid}/collections", officer("140999"))
    assert elsewhere.status_code == 404  # another county does not learn the order exists


async def test_collecting_the_rest_recovers_the_order(api: DisbursementApi, broker: Broker) -> None:
    _, household = await reduced(api, broker, "700.00", "500.00")
    [recovery] = await orders(api, household)
    reply = await collect(api, household, recovery["recovery_id"], "200.00")
    assert reply.status_code == 201, reply.text
    assert (reply.json()["status"], reply.json()["outstanding"]) == ("recovered", "0.00")
    assert await orders(api, household, status="open") == []
    assert len(await orders(api, household, status="recovered")) == 1


async def test_waive_with_a_reason_closes_the_order(api: DisbursementApi, broker: Broker) -> None:
    county, household = await reduced(api, broker, "1000.00", "400.00")
    [recovery] = await orders(api, household)
    rid = recovery["recovery_id"]
    assert (await collect(api, household, rid, "100.00")).status_code == 201
    path = f"{RECOVERIES}/{rid}/waive"
    assert (await api.post(path, officer(county), {"reason": ""})).status_code == 422
    assert (await order(api, household, rid))["status"] == "open"

    reply = await api.post(path, officer(county), {"reason": "家庭确无偿还能力 unable to repay"})
    assert reply.status_code == 200, reply.text
    waived = reply.json()
    assert (waived["status"], waived["waived"], waived["collected"], waived["outstanding"]) == (
        "waived",
        "500.00",
        "100.00",
        "0.00",
    )
    assert waived["waive_reason"] == "家庭确无偿还能力 unable to repay"

    for again in (
        await api.post(path, officer(county), {"reason": "again"}),
        await collect(api, household, rid, "1.00"),
    ):
        assert again.status_code == 409, again.text
        assert again.json()["code"] == "recovery_closed"
    # Nothing more is deducted.
    assert items(line_of(await month(api, county, "2027-01"), household)) == [("regular", "400.00")]


async def test_the_same_overpayment_never_raises_two_orders(api: DisbursementApi, broker: Broker) -> None:
    county = new_county()
    household = await entitled(broker, county, amount="560.00")
    roster = await api.submitted(county, "2026-12")
    lines = await api.finance_lines(roster["roster_id"])
    api.clock.set_day(date(2026, 12, 8))
    await died(broker, household.head, date(2026, 11, 20), household)
    api.clock.set_day(date(2026, 12, 10))
    results = [paid(line, "TXN-1") for line in lines]
    assert (await api.report(roster["roster_id"], results)).json() == {"accepted": 1, "unchanged": 0}

    # Finance repeats its results, matching sends the death again (a new event), casework stops the entitlement.
    api.clock.set_day(date(2026, 12, 12))
    assert (await api.report(roster["roster_id"], results)).json() == {"accepted": 0, "unchanged": 1}
    await died(broker, household.head, date(2026, 11, 20), household)
    await change(broker, household, amount="0.00", status=EntitlementStatus.STOPPED, effective_from="2026-12")
    await change(broker, household, amount="0.00", status=EntitlementStatus.STOPPED, effective_from="2026-12")

    [recovery] = await orders(api, household)
    assert (recovery["reason"], recovery["amount"]) == ("paid_after_death", "560.00")
    assert len(await overpayments(api, household)) == 1


async def test_a_waived_month_reinstated_is_not_paid_twice(api: DisbursementApi, broker: Broker) -> None:
    county = new_county()
    household = await entitled(broker, county, amount="600.00")
    await month(api, county, "2026-12")
    api.clock.set_day(date(2026, 12, 15))
    await change(broker, household, amount="0.00", status=EntitlementStatus.STOPPED, effective_from="2026-12")
    [recovery] = await orders(api, household)
    reply = await api.post(f"{RECOVERIES}/{recovery['recovery_id']}/waive", officer(county), {"reason": "无力偿还"})
    assert reply.status_code == 200, reply.text
    # On appeal casework reinstates the entitlement from December: December was paid and never recovered.
    api.clock.set_day(date(2026, 12, 20))
    await change(broker, household, amount="600.00", effective_from="2026-12")
    line = line_of(await month(api, county, "2027-01"), household)
    assert items(line) == [("regular", "600.00")]


async def test_a_cancelled_locked_roster_gives_its_deductions_back(api: DisbursementApi, broker: Broker) -> None:
    county, household = await reduced(api, broker, "1000.00", "800.00")
    [recovery] = await orders(api, household)
    api.clock.set_day(date(2027, 1, 2))
    january = await api.build(county, "2027-01")
    await api.act(january, "lock")
    assert (await order(api, household, recovery["recovery_id"]))["status"] == "recovered"
    await api.act(january, "cancel", {"reason": "重做 redo"})
    now = await order(api, household, recovery["recovery_id"])
    assert (now["status"], now["deducted"], now["outstanding"]) == ("open", "0.00", "200.00")
    # The replacement takes it again, once.
    line = line_of(await api.staff_lines(await api.build(county, "2027-01")), household)
    assert items(line) == [("regular", "800.00"), ("recovery", "-200.00")]
