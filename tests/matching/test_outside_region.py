"""A registry speaks only for its own region (CONTRACTS.md §5, 2026-12; issue 17, finding 3): a provider of region
15 sent a death for a recipient of 140403 and the recipient's payments were held. A row about a person Jiuzhu knows
elsewhere raises nothing (no death, no hit, no finding), whenever matching reads it, counts as rejected
(`outside_region`) and is listed for the staff of the person's region only."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import update

from libs.contracts.events.matching import FindingOutcome
from libs.contracts.id_number import IdNumber
from libs.contracts.staff import StaffRole
from libs.kernel.auth import Principal
from services.matching.metrics import OUTSIDE_REGION_ROWS
from services.matching.schedules.models import SourceSchedule
from tests.matching.feed_support import FEEDS, assert_problem
from tests.matching.flow_support import (
    DEATH,
    TODAY,
    death_row,
    deaths_reported,
    died,
    hits_of,
    new_household_id,
    paid_household,
    reports,
)
from tests.matching.support import (
    Broker,
    MatchingApi,
    application,
    csv_feed,
    feeder,
    fresh_id,
    member,
    new_village,
    staff,
)

LIST = "/api/v1/matching/outside-region-rows"
COUNTY = "140403"


async def listed(api: MatchingApi, who: Principal, feed_id: str, **params: Any) -> list[dict[str, Any]]:
    reply = await api.get(LIST, who, params=params)
    assert reply.status_code == 200, reply.text
    return [row for row in reply.json()["items"] if row["feed_id"] == feed_id]


async def status(api: MatchingApi, feed_id: str, provider: Principal) -> dict[str, Any]:
    reply = await api.get(f"{FEEDS}/{feed_id}", provider)
    assert reply.status_code == 200, reply.text
    body: dict[str, Any] = reply.json()
    return body


def refused() -> float:
    return float(OUTSIDE_REGION_ROWS.labels("death")._value.get())


async def test_a_death_from_a_registry_elsewhere_holds_no_one_and_is_listed_for_the_county(
    api: MatchingApi, broker: Broker
) -> None:
    api.clock.set_day(TODAY)
    recipient, stranger = fresh_id(dt.date(1940, 8, 9)), fresh_id()
    village = new_village(COUNTY)
    await paid_household(broker, new_household_id(), village, [member(recipient, "王建国")])
    before = refused()
    elsewhere = feeder("15")
    body = csv_feed(DEATH, [died(recipient, "王建国"), died(stranger, "路人")])

    feed = await api.load("death", body, principal=elsewhere)
    assert feed["status"] == "done"
    # The recipient's row is refused; the row about someone Jiuzhu does not know loads as any row.
    assert (feed["rows_total"], feed["rows_loaded"], feed["rows_rejected"]) == (2, 1, 1)
    assert feed["rejects"] == [{"row": 1, "reason": "outside_region"}]
    assert (feed["deaths_raised"], feed["hits_raised"]) == (0, 0)
    assert await deaths_reported(api, recipient) == []
    assert await death_row(api, recipient) is None
    assert await hits_of(api, recipient) == []
    assert refused() == before + 1

    county = staff(StaffRole.county_officer, COUNTY)
    [row] = await listed(api, county, feed["feed_id"])
    assert row == {
        "feed_id": feed["feed_id"],
        "source": "death",
        "row": 1,
        "client_id": elsewhere.subject,
        "client_name": elsewhere.name,
        "provider_region": "15",
        "region_code": village,
        "person_id_masked": IdNumber.parse(recipient).masked(),
        "recorded_at": row["recorded_at"],
    }
    assert recipient not in str(row)
    assert await listed(api, staff(StaffRole.township_officer, village[:9]), feed["feed_id"]) != []
    # Another county, even of the same city, sees nothing of it.
    assert await listed(api, staff(StaffRole.county_officer, "140404"), feed["feed_id"]) == []
    assert await listed(api, staff(StaffRole.city_supervisor, "15"), feed["feed_id"]) == []

    # The province's own registry reporting the same death is acted on.
    local = await api.load("death", body, principal=feeder("14"))
    assert (local["deaths_raised"], local["rows_rejected"]) == (1, 0)
    [event] = await deaths_reported(api, recipient)
    assert event.feed_id == local["feed_id"]


async def test_a_scheduled_run_never_acts_on_people_outside_the_feeds_region(api: MatchingApi, broker: Broker) -> None:
    api.clock.set_day(TODAY)
    person = fresh_id(dt.date(1941, 2, 3))
    elsewhere = feeder("1502")
    feed = await api.load("death", csv_feed(DEATH, [died(person)]), principal=elsewhere)
    # Nobody knows the person yet: the row loads, and nothing is raised.
    assert (feed["rows_loaded"], feed["rows_rejected"], feed["deaths_raised"]) == (1, 0, 0)

    village = new_village(COUNTY)
    await paid_household(broker, new_household_id(), village, [member(person)])
    async with api.db.sessions.begin() as session:
        await session.execute(update(SourceSchedule).where(SourceSchedule.source == "death").values(next_run_at=None))
    assert await api.run_schedules() >= 1

    assert await deaths_reported(api, person) == []
    assert await death_row(api, person) is None
    after = await status(api, feed["feed_id"], elsewhere)
    assert (after["rows_loaded"], after["rows_rejected"]) == (0, 1)
    assert after["rejects"] == [{"row": 1, "reason": "outside_region"}]
    [row] = await listed(api, staff(StaffRole.county_officer, COUNTY), feed["feed_id"])
    assert row["region_code"] == village


async def test_an_applicant_elsewhere_is_not_verified_against_a_foreign_feed(api: MatchingApi, broker: Broker) -> None:
    api.clock.set_day(TODAY)
    applicant = fresh_id(dt.date(1950, 3, 4))
    elsewhere = feeder("1503")
    feed = await api.load("death", csv_feed(DEATH, [died(applicant, "李四")]), principal=elsewhere)
    assert feed["rows_loaded"] == 1

    submitted = application([member(applicant, "李四")], region_code=new_village(COUNTY))
    await broker.deliver(submitted, subject=f"application/{submitted.application_id}")
    [report] = await reports(api, submitted.application_id)
    [death] = [f for f in report.findings if f.member_id_number == applicant and f.source == "death"]
    assert death.outcome is not FindingOutcome.FINDING
    after = await status(api, feed["feed_id"], elsewhere)
    assert after["rejects"] == [{"row": 1, "reason": "outside_region"}]
    assert [r["row"] for r in await listed(api, staff(StaffRole.county_officer, COUNTY), feed["feed_id"])] == [1]


async def test_a_person_known_inside_and_outside_is_acted_on_only_inside(api: MatchingApi, broker: Broker) -> None:
    api.clock.set_day(TODAY)
    person = fresh_id(dt.date(1939, 5, 6))
    inside, outside = new_household_id(), new_household_id()
    await paid_household(broker, inside, new_village("150402"), [member(person)])
    await paid_household(broker, outside, new_village(COUNTY), [member(person)])
    feed = await api.load("death", csv_feed(DEATH, [died(person)]), principal=feeder("1504"))
    assert (feed["rows_loaded"], feed["rows_rejected"], feed["deaths_raised"]) == (1, 0, 1)
    [event] = await deaths_reported(api, person)
    assert event.household_ids == (inside,)


async def test_the_list_pages_and_keeps_to_the_callers_jurisdiction(api: MatchingApi, broker: Broker) -> None:
    api.clock.set_day(TODAY)
    county = "140488"
    people = [fresh_id() for _ in range(3)]
    for person in people:
        await paid_household(broker, new_household_id(), new_village(county), [member(person)])
    feed = await api.load("death", csv_feed(DEATH, [died(p) for p in people]), principal=feeder("1505"))
    assert feed["rows_rejected"] == 3
    officer = staff(StaffRole.county_officer, county)
    seen: list[int] = []
    cursor: str | None = None
    while True:
        reply = await api.get(LIST, officer, params={"limit": 1, **({"cursor": cursor} if cursor else {})})
        assert reply.status_code == 200, reply.text
        page = reply.json()
        seen += [r["row"] for r in page["items"] if r["feed_id"] == feed["feed_id"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == [1, 2, 3]
    assert len(await listed(api, officer, feed["feed_id"], source="death")) == 3
    assert await listed(api, officer, feed["feed_id"], source="flight") == []
    assert_problem(await api.get(LIST, officer, params={"region_code": "140499"}), 403, "outside_jurisdiction")
    assert_problem(await api.get(LIST, staff(StaffRole.village_assistant, county + "001001")), 403, "role_required")
    assert_problem(await api.get(LIST, officer, params={"cursor": "not-a-cursor"}), 422, "invalid_cursor")
    assert_problem(await api.get(LIST, feeder("14")), 403, "role_required")
