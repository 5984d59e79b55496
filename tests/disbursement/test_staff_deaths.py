"""A death staff record (a village report, a home visit) comes from casework as the same `death-detected` a registry
feed sends (DOMAIN.md §5): it holds payment from the month after the death, the registry reporting it later is the
same fact, and a wrong one is released as a false match is."""

from __future__ import annotations

from datetime import date

from tests.disbursement.support import (
    Broker,
    DisbursementApi,
    died,
    entitled,
    items,
    member,
    month_lines,
    new_county,
    officer,
)
from tests.disbursement.test_ledger_events import HOLDS, active_holds, schedule_of


async def test_a_death_the_village_reported_holds_payment_as_a_registry_death_does(
    api: DisbursementApi, broker: Broker
) -> None:
    county = new_county()
    h = await entitled(broker, county, members=[member(relation="head"), member(name="王小", relation="child")])
    await died(broker, h.members[1], date(2026, 11, 20), h, source="village_report", producer="casework")
    assert await schedule_of(api, h) == [("2026-12", None, "stopped", "0.00", "death")]
    (hold,) = await active_holds(api, h, "death")
    assert (hold["from_period"], hold["released_at"]) == ("2026-12", None)
    assert "village_report" in hold["reason"]
    assert h.household_id not in await month_lines(api, county, "2026-12")
    # The health commission's feed reports the same death afterwards: the same fact, one hold.
    await died(broker, h.members[1], date(2026, 11, 20), h)
    assert len(await active_holds(api, h, "death")) == 1


async def test_a_wrong_death_from_a_home_visit_is_released_as_a_false_match_and_the_months_are_paid(
    api: DisbursementApi, broker: Broker
) -> None:
    county = new_county()
    h = await entitled(broker, county, members=[member(relation="head"), member(name="王小", relation="child")])
    await died(broker, h.members[1], date(2026, 11, 20), h, source="home_visit", producer="casework")
    (hold,) = await active_holds(api, h, "death")
    assert h.household_id not in await month_lines(api, county, "2026-12")  # December's roster goes without it
    wrong = {"reason": "入户误记 recorded wrongly"}
    reply = await api.post(f"{HOLDS}/{hold['hold_id']}/release", officer(county), wrong)
    assert reply.status_code == 200, reply.text
    assert await active_holds(api, h) == []
    assert await schedule_of(api, h) == [("2026-12", None, "active", "560.00", "casework")]
    api.clock.set_day(date(2027, 1, 2))
    line = (await month_lines(api, county, "2027-01"))[h.household_id]
    assert items(line) == [("regular", "560.00"), ("arrears", "560.00")]
