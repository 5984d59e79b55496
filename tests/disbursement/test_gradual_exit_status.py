"""A gradual exit (渐退) reads `gradual_exit` while its steps pay, although the `stopped` that follows them was the last
event received (CONTRACTS.md §6), and a death during it holds the household as during any paid month (DOMAIN.md §9)."""

from __future__ import annotations

from datetime import date

from libs.contracts.events.base import MemberRef
from libs.contracts.events.casework import EntitlementStatus
from tests.disbursement.support import (
    Broker,
    DisbursementApi,
    Household,
    change,
    died,
    entitled,
    member,
    month_lines,
    new_county,
    officer,
)

HOLDS = "/api/v1/disbursement/holds"


async def _exiting(broker: Broker, county: str, members: list[MemberRef] | None = None) -> Household:
    """Paid 560.00 from 2026-12, then 400.00 in 2027-01 and 200.00 in 2027-02 in gradual exit, stopped from 2027-03."""
    h = await entitled(broker, county, amount="560.00", members=members or 1)
    step = EntitlementStatus.GRADUAL_EXIT
    await change(broker, h, status=step, amount="400.00", effective_from="2027-01", effective_to="2027-01")
    await change(broker, h, status=step, amount="200.00", effective_from="2027-02", effective_to="2027-02")
    await change(broker, h, status=EntitlementStatus.STOPPED, amount="0.00", effective_from="2027-03")
    return h


async def _status(api: DisbursementApi, h: Household) -> str:
    (ent,) = (await api.household(h))["entitlements"]
    return str(ent["status"])


async def test_the_entitlement_reads_gradual_exit_while_its_steps_pay(api: DisbursementApi, broker: Broker) -> None:
    county = new_county()
    h = await _exiting(broker, county)
    await entitled(broker, county, amount="300.00")  # keeps every month's roster non-empty
    seen: list[tuple[str, str | None]] = []
    for day, period in ((date(2026, 12, 2), "2026-12"), (date(2027, 1, 2), "2027-01"), (date(2027, 2, 2), "2027-02")):
        api.clock.set_day(day)
        line = (await month_lines(api, county, period)).get(h.household_id)
        seen.append((await _status(api, h), line["amount"] if line else None))
    api.clock.set_day(date(2027, 3, 2))
    seen.append((await _status(api, h), None))
    assert seen == [
        ("active", "560.00"),
        ("gradual_exit", "400.00"),
        ("gradual_exit", "200.00"),
        ("stopped", None),
    ]


async def test_a_death_during_a_gradual_exit_holds_the_household(api: DisbursementApi, broker: Broker) -> None:
    county = new_county()
    h = await _exiting(broker, county, [member(relation="head"), member(name="王小", relation="child")])
    api.clock.set_day(date(2027, 1, 10))
    await died(broker, h.members[1], date(2027, 1, 5), h)
    reply = await api.get(HOLDS, officer(county), {"region_code": county, "kind": "death"})
    assert reply.status_code == 200, reply.text
    [hold] = [x for x in reply.json()["items"] if x["household_id"] == h.household_id]
    assert (hold["from_period"], hold["released_at"]) == ("2027-02", None)
