"""Temporary grants paid once (issue 20): `temporary-grant-issued` becomes an off-cycle payment order finance reads
like a roster (kind `temporary`, one line, submitted at once); its result goes back to casework and touches nothing
monthly; a reclaimed grant whose money is out becomes a recovery order. Bad events are refused without writing."""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, select

from libs.contracts.events.base import PersonRef
from libs.contracts.events.grants import GrantKind, TemporaryGrantIssued, TemporaryGrantReclaimed
from libs.kernel.events import CloudEvent
from services.disbursement.db import tables
from services.disbursement.grants.models import TemporaryGrant
from services.disbursement.rosters.models import Roster, RosterLine
from tests.disbursement.support import (
    FINANCE,
    Broker,
    DisbursementApi,
    entitled,
    failed,
    fresh_account,
    fresh_id,
    new_county,
    new_village,
    officer,
    paid,
    read_csv,
    township,
)

FINANCE_ROSTERS = "/api/v1/finance/rosters"
STAFF_ROSTERS = "/api/v1/disbursement/rosters"
RECOVERIES = "/api/v1/disbursement/recoveries"
ISSUED = datetime(2026, 12, 2, 1, 30, tzinfo=UTC)  # 09:30 in Beijing, the 2nd


def grant(
    broker: Broker,
    county: str,
    *,
    amount: str = "1500.00",
    attempt: int = 1,
    grant_id: str | None = None,
    household_id: str | None = None,
    id_number: str | None = None,
    account_no: str | None = None,
) -> TemporaryGrantIssued:
    return TemporaryGrantIssued(
        grant_id=grant_id or f"grant-{uuid.uuid4()}",
        attempt=attempt,
        kind=GrantKind.ADVANCE,
        region_code=new_village(county),
        household_id=household_id,
        payee=PersonRef(id_number=id_number or fresh_id(), name="赵六"),
        amount=amount,
        cause="火灾 house fire",
        discovered_at=ISSUED,
        pay_by=date(2026, 12, 4),
        issued_at=ISSUED,
        payment_account=broker.sealed_account(account_no or fresh_account(), holder="赵六"),
    )


async def issue(broker: Broker, payload: TemporaryGrantIssued) -> CloudEvent:
    return await broker.deliver(payload, subject=f"grant/{payload.grant_id}")


async def orders(api: DisbursementApi, county: str) -> list[dict[str, Any]]:
    reply = await api.get(FINANCE_ROSTERS, FINANCE, {"region_code": county, "kind": "temporary"})
    assert reply.status_code == 200, reply.text
    return list(reply.json()["items"])


async def report(api: DisbursementApi, order: dict[str, Any], result: str) -> None:
    lines = await api.finance_lines(order["roster_id"])
    assert len(lines) == 1
    body = paid(lines[0]) if result == "paid" else failed(lines[0])
    reply = await api.report(order["roster_id"], [body])
    assert reply.status_code == 200, reply.text


async def grant_events(api: DisbursementApi, grant_id: str) -> list[dict[str, Any]]:
    found = await api.outbox_events("temporary-grant-payment-reported", subject=f"grant/{grant_id}")
    return [dict(e.data) for e in found]


async def dead(api: DisbursementApi, event: CloudEvent) -> bool:
    async with api.db.sessions() as s:
        dl = tables.dead_letters
        return bool(await s.scalar(select(func.count()).select_from(dl).where(dl.c.event_id == event.id)))


async def test_an_issued_grant_is_a_submitted_order_finance_reads_as_a_roster(
    api: DisbursementApi, broker: Broker
) -> None:
    county = new_county()
    person, account = fresh_id(), fresh_account()
    payload = grant(broker, county, id_number=person, account_no=account, household_id=f"hh-{uuid.uuid4()}")
    await issue(broker, payload)  # delivered twice, as after a redelivery
    await issue(broker, payload)  # and the same grant and attempt sent again as a new event

    [order] = await orders(api, county)
    assert order["kind"] == "temporary"
    assert order["status"] == "submitted"
    assert (order["period"], order["line_count"], order["total_amount"]) == ("2026-12", 1, "1500.00")
    assert order["totals_by_program"] == {"temporary": "1500.00"}

    [line] = await api.finance_lines(order["roster_id"])
    assert uuid.UUID(order["roster_id"]).version == 7  # time-ordered, as a monthly roster's id
    assert line["line_id"] == f"{order['roster_id']}-0000001"
    assert (line["payee_id_number"], line["account_no"], line["program"]) == (person, account, "temporary")
    assert (line["household_id"], line["amount"], line["payee_name"]) == (payload.household_id, "1500.00", "赵六")
    csv_reply = await api.finance_csv(order["roster_id"])
    assert csv_reply.status_code == 200
    assert csv_reply.headers["x-checksum"] == order["checksum"]
    assert order["checksum"] == "sha256:" + hashlib.sha256(csv_reply.content).hexdigest()
    [row] = read_csv(csv_reply.content)
    assert (row["payee_id_number"], row["account_no"], row["amount"], row["period"]) == (
        person,
        account,
        "1500.00",
        "2026-12",
    )

    # Staff see the order only when they ask for it, with the account masked; it is due on the grant's day.
    staff = officer(county)
    monthly = await api.get(STAFF_ROSTERS, staff, {"region_code": county})
    assert monthly.json()["items"] == []
    temporary = await api.get(STAFF_ROSTERS, staff, {"region_code": county, "kind": "temporary"})
    [shown] = temporary.json()["items"]
    assert (shown["kind"], shown["due_date"]) == ("temporary", "2026-12-04")
    staff_lines = await api.staff_lines(shown)
    assert account not in str(staff_lines)
    assert person not in str(staff_lines)

    # At rest the identity and account numbers are sealed.
    async with api.db.sessions() as s:
        stored = (await s.scalars(select(RosterLine).where(RosterLine.roster_id == order["roster_id"]))).one()
        assert stored.payee_sealed
        assert person not in stored.payee_sealed
        assert account not in stored.payee_sealed
        assert stored.entitlement_id is None
        assert stored.grant_id == payload.grant_id


async def test_paid_is_reported_to_casework_and_closes_the_order(api: DisbursementApi, broker: Broker) -> None:
    county = new_county()
    payload = grant(broker, county)
    await issue(broker, payload)
    [order] = await orders(api, county)
    await report(api, order, "paid")

    [event] = await grant_events(api, payload.grant_id)
    assert (event["status"], event["attempt"], event["order_id"]) == ("paid", 1, order["roster_id"])
    assert event["paid_at"] is not None
    assert event["failure_reason"] is None
    [again] = await orders(api, county)
    assert (again["status"], again["kind"]) == ("paid", "temporary")


async def test_a_failure_goes_to_casework_only_and_a_new_attempt_is_a_new_order(
    api: DisbursementApi, broker: Broker
) -> None:
    county = new_county()
    household = await entitled(broker, county)  # a household paid monthly in the same county
    payload = grant(broker, county, household_id=household.household_id)
    await issue(broker, payload)
    # A second attempt while the first may still be paid is refused: the grant's money never goes out twice.
    early = await issue(broker, payload.model_copy(update={"attempt": 2}))
    assert await dead(api, early)
    [order] = await orders(api, county)
    await report(api, order, "failed")

    [event] = await grant_events(api, payload.grant_id)
    assert (event["status"], event["failure_reason"]) == ("failed", "账户已销户 account closed")
    assert await api.outbox_events("payment-failed", subject=f"household/{household.household_id}") == []
    # Nothing monthly moved: the household's account is not held and its December line pays as before.
    roster = await api.submitted(county, "2026-12")
    lines = await api.finance_lines(roster["roster_id"])
    assert [(x["household_id"], x["amount"]) for x in lines] == [(household.household_id, "560.00")]

    corrected = broker.sealed_account(fresh_account())
    await issue(broker, payload.model_copy(update={"attempt": 2, "payment_account": corrected}))
    found = await orders(api, county)
    assert len(found) == 2
    async with api.db.sessions() as s:
        attempts = (await s.scalars(select(TemporaryGrant).where(TemporaryGrant.grant_id == payload.grant_id))).all()
        assert sorted((g.attempt, g.status) for g in attempts) == [(1, "failed"), (2, "pending")]


async def test_the_monthly_roster_of_the_county_builds_beside_the_order(api: DisbursementApi, broker: Broker) -> None:
    county = new_county()
    household = await entitled(broker, county)
    await issue(broker, grant(broker, county))
    roster = await api.submitted(county, "2026-12")  # build, lock and submit: the order is no month's roster
    assert (roster["kind"], roster["line_count"], roster["total_amount"]) == ("monthly", 1, "560.00")
    late = await api.get(f"{STAFF_ROSTERS}/late", officer(county), {"period": "2026-12", "region_code": county})
    assert late.status_code == 200
    assert late.json() == []
    every = await api.get(FINANCE_ROSTERS, FINANCE, {"region_code": county})
    assert sorted(r["kind"] for r in every.json()["items"]) == ["monthly", "temporary"]
    monthly = await api.get(FINANCE_ROSTERS, FINANCE, {"region_code": county, "kind": "monthly"})
    assert [r["roster_id"] for r in monthly.json()["items"]] == [roster["roster_id"]]
    lines = await api.finance_lines(roster["roster_id"])
    assert [line["household_id"] for line in lines] == [household.household_id]


async def test_a_reclaimed_grant_is_recovered_once_its_money_is_out(api: DisbursementApi, broker: Broker) -> None:
    county = new_county()
    staff = officer(county)
    # Reclaimed after the payment: the order opens at once.
    first = grant(broker, county)
    await issue(broker, first)
    [order] = await orders(api, county)
    await report(api, order, "paid")
    await broker.deliver(reclaim(first), subject=f"grant/{first.grant_id}")
    # Reclaimed before the payment: the order opens when the line is paid.
    second = grant(broker, county, amount="800.00")
    await issue(broker, second)
    await broker.deliver(reclaim(second), subject=f"grant/{second.grant_id}")
    # Reclaimed and failed: nothing to recover.
    third = grant(broker, county, amount="300.00")
    await issue(broker, third)
    await broker.deliver(reclaim(third), subject=f"grant/{third.grant_id}")

    listed = await api.get(RECOVERIES, staff, {"region_code": county})
    assert [r["entitlement_id"] for r in listed.json()["items"]] == [first.grant_id]
    for order in await orders(api, county):
        if order["status"] == "submitted":
            [line] = await api.finance_lines(order["roster_id"])
            await report(api, order, "paid" if line["amount"] == "800.00" else "failed")

    listed = await api.get(RECOVERIES, staff, {"region_code": county})
    found = {r["entitlement_id"]: r for r in listed.json()["items"]}
    assert set(found) == {first.grant_id, second.grant_id}
    rec = found[first.grant_id]
    assert (rec["program"], rec["reason"], rec["amount"], rec["outstanding"]) == (
        "temporary",
        "grant_reclaimed",
        "1500.00",
        "1500.00",
    )
    assert rec["detail"] == "审核不予确认 not confirmed"
    assert rec["months"] == ["2026-12"]
    # The township where the emergency happened sees it too; the county collects and waives it in the lists.
    first_township = township(first.region_code[:9])
    seen = await api.get(RECOVERIES, first_township, {"region_code": first.region_code[:9]})
    assert [r["recovery_id"] for r in seen.json()["items"]] == [rec["recovery_id"]]
    collected = await api.post(
        f"{RECOVERIES}/{rec['recovery_id']}/collections",
        staff,
        {"amount": "500.00", "received_on": "2026-12-02", "note": "现金退回"},
    )
    assert collected.status_code == 201, collected.text
    waived = await api.post(f"{RECOVERIES}/{rec['recovery_id']}/waive", staff, {"reason": "困难核销"})
    assert waived.status_code == 200, waived.text
    assert (waived.json()["status"], waived.json()["waived"]) == ("waived", "1000.00")
    # A repeated reclaim opens nothing more.
    await broker.deliver(reclaim(first), subject=f"grant/{first.grant_id}")
    again = await api.get(RECOVERIES, staff, {"region_code": county})
    assert len(again.json()["items"]) == 2


def reclaim(issued: TemporaryGrantIssued) -> TemporaryGrantReclaimed:
    return TemporaryGrantReclaimed(
        grant_id=issued.grant_id,
        region_code=issued.region_code,
        household_id=issued.household_id,
        amount=issued.amount,
        reason="审核不予确认 not confirmed",
        reclaimed_at=ISSUED,
    )


async def test_a_grant_above_the_ceiling_or_out_of_dates_is_refused_without_writing(
    api: DisbursementApi, broker: Broker
) -> None:
    county = new_county()
    too_much = await issue(broker, grant(broker, county, amount="200000.01"))
    nothing = await issue(broker, grant(broker, county, amount="0.00"))
    late = grant(broker, county).model_copy(update={"pay_by": date(2027, 6, 1)})
    backwards = await issue(broker, late)
    for event in (too_much, nothing, backwards):
        assert await dead(api, event)
    async with api.db.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(Roster).where(Roster.region_code == county)) == 0
    assert await orders(api, county) == []
