"""A household moving county (issue 21), as casework publishes it: `household-changed` with the new region when the
move's effective month begins. The county moved from pays every month before it, the receiving county every month
from it: no month paid twice, none missed."""

from __future__ import annotations

from datetime import UTC, date, datetime

from libs.contracts.events.casework import HouseholdChange, HouseholdChanged, HouseholdChangeKind, HouseholdSnapshot
from tests.disbursement.support import (
    Broker,
    DisbursementApi,
    Household,
    entitled,
    items,
    month_lines,
    new_county,
    new_village,
)


async def _moved(broker: Broker, h: Household, village: str) -> None:
    await broker.deliver(
        HouseholdChanged(
            household=HouseholdSnapshot(
                household_id=h.household_id,
                region_code=village,
                head_id_number=h.head.id_number,
                members=h.members,
                programs=(h.program,),
            ),
            changes=(HouseholdChange(kind=HouseholdChangeKind.REGION_CHANGED, detail="迁移 from 2027-02"),),
            changed_at=datetime.now(UTC),
        ),
        subject=f"household/{h.household_id}",
    )


async def test_the_old_county_pays_until_the_effective_month_and_the_new_one_from_it(
    api: DisbursementApi, broker: Broker
) -> None:
    old, new = new_county(), new_county()
    h = await entitled(broker, old, amount="560.00", effective_from="2026-12")
    # Others in both counties keep every roster non-empty.
    await entitled(broker, old, amount="300.00", effective_from="2026-12")
    await entitled(broker, new, amount="450.00", effective_from="2026-12")
    paid: dict[str, list[tuple[str, list[tuple[str, str]]]]] = {}

    async def month(period: str, day: date) -> None:
        api.clock.set_day(day)
        for county in (old, new):
            line = (await month_lines(api, county, period)).get(h.household_id)
            if line is not None:
                paid.setdefault(period, []).append((county, items(line)))

    await month("2026-12", date(2026, 12, 2))
    await month("2027-01", date(2027, 1, 2))
    # Accepted in January for February: casework publishes the new region when February begins.
    api.clock.set_day(date(2027, 2, 1))
    await _moved(broker, h, new_village(new))
    await month("2027-02", date(2027, 2, 2))
    await month("2027-03", date(2027, 3, 2))
    regular = [("regular", "560.00")]
    assert paid == {
        "2026-12": [(old, regular)],
        "2027-01": [(old, regular)],
        "2027-02": [(new, regular)],
        "2027-03": [(new, regular)],
    }
