"""The ledger kept from casework's and matching's events (CONTRACTS.md §6), seen through the staff API and the rosters
it pays from (DOMAIN.md §9): redelivery, gradual exit, deaths and the hold they place, moves between counties."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, select

from libs.contracts.events.base import MemberRef
from libs.contracts.events.casework import (
    EntitlementStatus,
    HouseholdChange,
    HouseholdChanged,
    HouseholdChangeKind,
    HouseholdSnapshot,
)
from services.disbursement.entitlements.models import CountyLedger, EntitlementPeriod
from tests.disbursement.support import (
    Broker,
    DisbursementApi,
    Household,
    change,
    died,
    entitled,
    fresh_account,
    items,
    member,
    month_lines,
    new_county,
    new_village,
    officer,
)

HOLDS = "/api/v1/disbursement/holds"


async def schedule_of(api: DisbursementApi, h: Household) -> list[tuple[str, str | None, str, str, str]]:
    (ent,) = (await api.household(h))["entitlements"]
    return [(s["first_period"], s["last_period"], s["status"], s["amount"], s["origin"]) for s in ent["schedule"]]


async def active_holds(api: DisbursementApi, h: Household, kind: str | None = None) -> list[dict[str, Any]]:
    params = {"region_code": h.county, **({"kind": kind} if kind else {})}
    reply = await api.get(HOLDS, officer(h.county), params)
    assert reply.status_code == 200, reply.text
    return [hold for hold in reply.json()["items"] if hold["household_id"] == h.household_id]


async def ledger_state(api: DisbursementApi, h: Household) -> tuple[int, int]:
    """(entitlement-changed events kept for the entitlement, the county ledger's version)."""
    async with api.db.sessions() as s:
        kept = EntitlementPeriod.entitlement_id == h.entitlement_id
        periods = await s.scalar(select(func.count()).select_from(EntitlementPeriod).where(kept))
        version = await s.scalar(select(CountyLedger.version).where(CountyLedger.region_code == h.county))
    return int(periods or 0), int(version or 0)


def couple() -> list[MemberRef]:
    return [member(relation="head"), member(name="王小", relation="child")]


async def test_a_redelivered_entitlement_changed_is_applied_once(api: DisbursementApi, broker: Broker) -> None:
    county = new_county()
    # Every delivery in support goes to the consumer twice, as after a broker redelivery.
    h = await entitled(broker, county, amount="560.00")
    assert await ledger_state(api, h) == (1, 1)
    await change(broker, h, amount="600.00", effective_from="2027-01")
    assert await ledger_state(api, h) == (2, 2)
    assert await schedule_of(api, h) == [
        ("2026-12", "2026-12", "active", "560.00", "casework"),
        ("2027-01", None, "active", "600.00", "casework"),
    ]
    lines = await month_lines(api, county, "2026-12")
    assert lines[h.household_id]["amount"] == "560.00"


async def test_a_gradual_exit_pays_its_steps_month_by_month_then_stops(api: DisbursementApi, broker: Broker) -> None:
    county = new_county()
    h = await entitled(broker, county, amount="560.00")
    step = EntitlementStatus.GRADUAL_EXIT
    await change(broker, h, status=step, amount="400.00", effective_from="2027-01", effective_to="2027-01")
    await change(broker, h, status=step, amount="200.00", effective_from="2027-02", effective_to="2027-02")
    await change(broker, h, status=EntitlementStatus.STOPPED, amount="0.00", effective_from="2027-03")
    assert await schedule_of(api, h) == [
        ("2026-12", "2026-12", "active", "560.00", "casework"),
        ("2027-01", "2027-01", "gradual_exit", "400.00", "casework"),
        ("2027-02", "2027-02", "gradual_exit", "200.00", "casework"),
        ("2027-03", None, "stopped", "0.00", "casework"),
    ]
    other = await entitled(broker, county, amount="300.00")  # keeps every month's roster non-empty
    paid: list[str | None] = []
    for i, period in enumerate(("2026-12", "2027-01", "2027-02", "2027-03")):
        api.clock.set_day(date(2026 + (i > 0), 12 if i == 0 else i, 2))
        lines = await month_lines(api, county, period)
        assert lines[other.household_id]["amount"] == "300.00"
        paid.append(lines[h.household_id]["amount"] if h.household_id in lines else None)
    assert paid == ["560.00", "400.00", "200.00", None]


async def test_a_death_in_november_stops_december_and_holds_the_household(api: DisbursementApi, broker: Broker) -> None:
    county = new_county()
    h = await entitled(broker, county, members=couple())
    alive = await entitled(broker, county, amount="300.00")
    await died(broker, h.members[1], date(2026, 11, 20), h)
    assert await schedule_of(api, h) == [("2026-12", None, "stopped", "0.00", "death")]
    (hold,) = await active_holds(api, h, "death")
    assert hold["from_period"] == "2026-12"
    assert hold["released_at"] is None
    roster = await api.build(county, "2026-12")
    assert {line["household_id"] for line in await api.staff_lines(roster)} == {alive.household_id}
    assert roster["held"] == {"death": 1}
    assert (await api.household(h))["payments"] == []


async def test_a_death_dated_in_december_still_pays_december(api: DisbursementApi, broker: Broker) -> None:
    county = new_county()
    h = await entitled(broker, county, members=couple())
    await died(broker, h.members[1], date(2026, 12, 1), h)
    assert await schedule_of(api, h) == [
        ("2026-12", "2026-12", "active", "560.00", "casework"),
        ("2027-01", None, "stopped", "0.00", "death"),
    ]
    (hold,) = await active_holds(api, h, "death")
    assert hold["from_period"] == "2027-01"
    # Held until casework decides: December is kept back, not lost.
    assert h.household_id not in await month_lines(api, county, "2026-12")
    await change(broker, h, amount="300.00", effective_from="2027-01", members=h.members[:1])
    assert await active_holds(api, h) == []
    api.clock.set_day(date(2027, 1, 2))
    line = (await month_lines(api, county, "2027-01"))[h.household_id]
    assert line["amount"] == "860.00"
    assert items(line) == [("regular", "300.00"), ("arrears", "560.00")]


async def test_a_death_known_before_the_entitlement_arrives_still_holds_it(
    api: DisbursementApi, broker: Broker
) -> None:
    county = new_county()
    head = member()
    h = Household(
        household_id=f"hh-{uuid.uuid4()}",
        region_code=new_village(county),
        members=(head,),
        account_no=fresh_account(),
        entitlement_id=f"ent-{uuid.uuid4()}",
    )
    await died(broker, head, date(2026, 10, 3), h)
    await change(broker, h, effective_from="2026-12")
    # Nothing is due from the month after the death, which is before the entitlement's first month.
    (stopped,) = await schedule_of(api, h)
    assert stopped[0] <= "2026-12"
    assert stopped[1:] == (None, "stopped", "0.00", "death")
    assert len(await active_holds(api, h, "death")) == 1
    roster = await api.build(county, "2026-12")
    assert roster["line_count"] == 0
    assert roster["held"] == {"death": 1}


async def test_a_death_is_found_by_the_member_even_when_matching_names_another_household(
    api: DisbursementApi, broker: Broker
) -> None:
    county = new_county()
    h = await entitled(broker, county, members=couple())
    elsewhere = await entitled(broker, county, amount="300.00")
    await died(broker, h.members[1], date(2026, 11, 20), elsewhere)
    assert len(await active_holds(api, h, "death")) == 1
    assert await active_holds(api, elsewhere) == []
    lines = await month_lines(api, county, "2026-12")
    assert set(lines) == {elsewhere.household_id}


async def test_casework_deciding_without_the_dead_person_releases_the_hold_and_pays(
    api: DisbursementApi, broker: Broker
) -> None:
    county = new_county()
    h = await entitled(broker, county, members=couple())
    await died(broker, h.members[1], date(2026, 11, 20), h)
    (hold,) = await active_holds(api, h, "death")
    assert h.household_id not in await month_lines(api, county, "2026-12")
    # Casework re-decides for the surviving head from the month after the death.
    await change(broker, h, amount="300.00", effective_from="2026-12", members=h.members[:1])
    assert await schedule_of(api, h) == [("2026-12", None, "active", "300.00", "casework")]
    assert await active_holds(api, h) == []
    released = (await api.get(HOLDS, officer(county), {"region_code": county, "active": "false"})).json()["items"]
    assert [(x["hold_id"], x["released_by"]) for x in released] == [(hold["hold_id"], "casework")]
    api.clock.set_day(date(2027, 1, 2))
    line = (await month_lines(api, county, "2027-01"))[h.household_id]
    assert items(line) == [("regular", "300.00"), ("arrears", "300.00")]
    assert line["amount"] == "600.00"


async def test_staff_releasing_a_death_hold_as_a_false_match_pays_the_held_months(
    api: DisbursementApi, broker: Broker
) -> None:
    county = new_county()
    h = await entitled(broker, county, members=couple())
    await died(broker, h.members[1], date(2026, 11, 20), h)
    (hold,) = await active_holds(api, h, "death")
    assert h.household_id not in await month_lines(api, county, "2026-12")
    clerk = officer(county)
    reply = await api.post(f"{HOLDS}/{hold['hold_id']}/release", clerk, {"reason": "同名不同人 a namesake"})
    assert reply.status_code == 200, reply.text
    assert reply.json()["released_by"] == clerk.subject
    assert await active_holds(api, h) == []
    assert await schedule_of(api, h) == [("2026-12", None, "active", "560.00", "casework")]
    api.clock.set_day(date(2027, 1, 2))
    line = (await month_lines(api, county, "2027-01"))[h.household_id]
    assert items(line) == [("regular", "560.00"), ("arrears", "560.00")]
    # The released death no longer stops anything, even for an event that still lists the person.
    await change(broker, h, amount="580.00", effective_from="2027-02")
    assert await active_holds(api, h) == []


async def test_a_redelivered_death_places_one_hold(api: DisbursementApi, broker: Broker) -> None:
    county = new_county()
    h = await entitled(broker, county, members=couple())
    await died(broker, h.members[1], date(2026, 11, 20), h)
    await died(broker, h.members[1], date(2026, 11, 20), h)  # the feed reports it again, as a new event
    assert len(await active_holds(api, h, "death")) == 1


async def household_changed(
    broker: Broker,
    h: Household,
    kind: HouseholdChangeKind,
    *,
    region_code: str | None = None,
    members: tuple[MemberRef, ...] | None = None,
    at: datetime | None = None,
) -> Household:
    """Casework's `household-changed`: the household as it is now (region, members)."""
    moved = replace(h, region_code=region_code or h.region_code, members=members or h.members)
    await broker.deliver(
        HouseholdChanged(
            household=HouseholdSnapshot(
                household_id=h.household_id,
                region_code=moved.region_code,
                head_id_number=h.head.id_number,
                members=moved.members,
                programs=(h.program,),
            ),
            changes=(HouseholdChange(kind=kind),),
            changed_at=at or datetime.now(UTC),
        ),
        subject=f"household/{h.household_id}",
    )
    return moved


async def move(broker: Broker, h: Household, region_code: str) -> Household:
    return await household_changed(broker, h, HouseholdChangeKind.REGION_CHANGED, region_code=region_code)


async def test_an_older_household_changed_does_not_move_the_household(api: DisbursementApi, broker: Broker) -> None:
    county = new_county()
    h = await entitled(broker, county)
    stale = datetime(2026, 1, 1, tzinfo=UTC)  # before the entitlement-changed the ledger holds
    await household_changed(
        broker, h, HouseholdChangeKind.REGION_CHANGED, region_code=new_village(new_county()), at=stale
    )
    (ent,) = (await api.household(h))["entitlements"]
    assert ent["region_code"] == h.region_code
    assert (await month_lines(api, county, "2026-12"))[h.household_id]["amount"] == "560.00"


async def test_a_household_changed_without_the_dead_member_ends_the_hold_but_pays_nothing_until_a_decision(
    api: DisbursementApi, broker: Broker
) -> None:
    county = new_county()
    h = await entitled(broker, county, members=couple())
    await died(broker, h.members[1], date(2026, 11, 20), h)
    assert len(await active_holds(api, h, "death")) == 1
    await household_changed(broker, h, HouseholdChangeKind.MEMBER_REMOVED, members=h.members[:1])
    assert await active_holds(api, h) == []
    # The amount was decided for two: nothing is due until casework decides for the one left.
    assert await schedule_of(api, h) == [("2026-12", None, "stopped", "0.00", "death")]
    assert h.household_id not in await month_lines(api, county, "2026-12")
    await change(broker, h, amount="300.00", effective_from="2027-01", members=h.members[:1])
    api.clock.set_day(date(2027, 1, 2))
    line = (await month_lines(api, county, "2027-01"))[h.household_id]
    assert items(line) == [("regular", "300.00")]


async def test_a_false_match_released_in_one_household_releases_the_person_everywhere(
    api: DisbursementApi, broker: Broker
) -> None:
    county = new_county()
    child = member(name="王小", relation="child")
    a = await entitled(broker, county, members=[member(), child])
    grandchild = child.model_copy(update={"relation": "grandchild"})  # the same person, listed in a second household
    b = await entitled(broker, county, members=[member(name="李四"), grandchild])
    await died(broker, child, date(2026, 11, 20), a)
    (hold_a,) = await active_holds(api, a, "death")
    assert len(await active_holds(api, b, "death")) == 1
    reply = await api.post(f"{HOLDS}/{hold_a['hold_id']}/release", officer(county), {"reason": "误匹配 false match"})
    assert reply.status_code == 200, reply.text
    assert await active_holds(api, b) == []
    lines = await month_lines(api, county, "2026-12")
    assert {hid: line["amount"] for hid, line in lines.items()} == {a.household_id: "560.00", b.household_id: "560.00"}


async def test_a_household_moved_to_another_county_is_paid_on_that_countys_roster(
    api: DisbursementApi, broker: Broker
) -> None:
    old, new = new_county(), new_county()
    h = await entitled(broker, old)
    stays = await entitled(broker, old, amount="300.00")
    await entitled(broker, new, amount="450.00")
    moved = await move(broker, h, new_village(new))
    (ent,) = (await api.household(moved))["entitlements"]
    assert ent["region_code"] == moved.region_code
    assert set(await month_lines(api, old, "2026-12")) == {stays.household_id}
    lines = await month_lines(api, new, "2026-12")
    assert lines[h.household_id]["amount"] == "560.00"
    assert lines[h.household_id]["region_code"] == moved.region_code
    # The old county no longer sees the household.
    reply = await api.get(f"/api/v1/disbursement/households/{h.household_id}", officer(old))
    assert reply.status_code == 404


async def test_a_move_after_the_month_was_paid_does_not_pay_it_twice(api: DisbursementApi, broker: Broker) -> None:
    old, new = new_county(), new_county()
    h = await entitled(broker, old)
    # The new county has paid through this system since November.
    await entitled(broker, new, amount="450.00", effective_from="2026-11")
    await month_lines(api, new, "2026-11")
    assert (await month_lines(api, old, "2026-12"))[h.household_id]["amount"] == "560.00"
    await move(broker, h, new_village(new))
    assert h.household_id not in await month_lines(api, new, "2026-12")
    api.clock.set_day(date(2027, 1, 2))
    line = (await month_lines(api, new, "2027-01"))[h.household_id]
    assert items(line) == [("regular", "560.00")]


async def test_a_move_into_a_county_on_its_first_roster_does_not_pay_the_month_twice(
    api: DisbursementApi, broker: Broker
) -> None:
    old, new = new_county(), new_county()
    h = await entitled(broker, old)
    await entitled(broker, new, amount="450.00")
    assert (await month_lines(api, old, "2026-12"))[h.household_id]["amount"] == "560.00"
    await move(broker, h, new_village(new))
    assert h.household_id not in await month_lines(api, new, "2026-12")
