"""Deaths of recipients and members (DOMAIN.md §5): one `death-detected` per person, naming every household they
were watched in, whichever death source reports it and however often; staff see them (masked) in their region."""

from __future__ import annotations

import datetime as dt
from datetime import UTC, date, datetime

import pytest

from libs.contracts.events.casework import EntitlementStatus
from libs.contracts.id_number import IdNumber
from libs.contracts.staff import StaffRole
from tests.matching.flow_support import (
    TODAY,
    Place,
    death_row,
    deaths_reported,
    died,
    hits_of,
    load,
    new_household_id,
    paid_household,
)
from tests.matching.support import (
    Broker,
    MatchingApi,
    application,
    decided,
    entitlement,
    fresh_id,
    member,
    obligor,
)

DEATH_SOURCES = ["death", "cremation", "police_deregistration"]


@pytest.mark.parametrize("source", DEATH_SOURCES)
async def test_recipient_in_a_death_feed_raises_death_detected(api: MatchingApi, broker: Broker, source: str) -> None:
    api.clock.set_day(TODAY)
    a = fresh_id(date(1940, 8, 9))
    hh, place = new_household_id(), Place.new()
    await paid_household(broker, hh, place.village, [member(a, "王建国")])
    feed = await load(api, source, [died(a, "王建国", on="2026-10-05"), died(fresh_id(), "路人")])
    assert feed["deaths_raised"] == 1
    [event] = await deaths_reported(api, a)
    # Full number and name: casework and disbursement act on the person (hold payments from the next month).
    assert (event.person.id_number, event.person.name) == (a, "王建国")
    assert (event.death_date, event.source, event.feed_id) == (dt.date(2026, 10, 5), source, feed["feed_id"])
    assert event.household_ids == (hh,)
    # A death is an event, not a hit to check.
    assert await hits_of(api, a) == []


async def test_one_event_however_often_and_from_whichever_source(api: MatchingApi, broker: Broker) -> None:
    api.clock.set_day(TODAY)
    a = fresh_id(date(1938, 1, 1))
    hh, place = new_household_id(), Place.new()
    await paid_household(broker, hh, place.village, [member(a, "王建国")])
    body = [died(a, "王建国", on="2026-10-05")]
    first = await load(api, "death", body)
    again = await load(api, "death", body)
    cremated = await load(api, "cremation", [died(a, "王建国", on="2026-10-08")])
    deregistered = await load(api, "police_deregistration", [died(a, "王建国", on="2026-10-20")])
    assert [f["deaths_raised"] for f in (first, again, cremated, deregistered)] == [1, 0, 0, 0]
    [event] = await deaths_reported(api, a)
    assert (event.source, event.feed_id, event.death_date) == ("death", first["feed_id"], dt.date(2026, 10, 5))
    held = await death_row(api, a)
    assert held is not None
    assert (held.source, held.feed_id) == ("death", first["feed_id"])


async def test_two_rows_of_one_person_in_one_feed_give_one_event(api: MatchingApi, broker: Broker) -> None:
    api.clock.set_day(TODAY)
    a = fresh_id()
    place = Place.new()
    await paid_household(broker, new_household_id(), place.village, [member(a)])
    await load(api, "death", [died(a, on="2026-10-07"), died(a, on="2026-10-03")])
    [event] = await deaths_reported(api, a)
    assert event.death_date == dt.date(2026, 10, 3)  # the earliest date the feed gives


async def test_member_of_two_households_one_event_naming_both(api: MatchingApi, broker: Broker) -> None:
    api.clock.set_day(TODAY)
    a = fresh_id(date(1945, 2, 2))
    place = Place.new()
    first, second = new_household_id(), new_household_id()
    await paid_household(broker, first, place.village, [member(a, "赵六")])
    await paid_household(
        broker, second, place.another_township().village, [member(fresh_id()), member(a, "赵六", "father")]
    )
    feed = await load(api, "death", [died(a, "赵六")])
    assert feed["deaths_raised"] == 1
    [event] = await deaths_reported(api, a)
    assert event.household_ids == tuple(sorted((first, second)))


async def test_death_of_someone_not_watched_raises_nothing(api: MatchingApi, broker: Broker) -> None:
    api.clock.set_day(TODAY)
    stranger, former = fresh_id(), fresh_id()
    place = Place.new()
    hh = new_household_id()
    await paid_household(broker, hh, place.village, [member(former)])
    await entitlement(
        broker, hh, place.village, (member(former),), status=EntitlementStatus.STOPPED, effective_from="2026-06",
        at=datetime(2026, 5, 20, tzinfo=UTC),
    )  # fmt: skip
    feed = await load(api, "death", [died(stranger), died(former)])
    assert feed["deaths_raised"] == 0
    for person in (stranger, former):
        assert await deaths_reported(api, person) == []
        assert await death_row(api, person) is None


async def test_death_of_a_pending_applicant_is_not_a_death_event(api: MatchingApi, broker: Broker) -> None:
    api.clock.set_day(TODAY)
    a = fresh_id()
    await broker.deliver(application([member(a)]), subject="application")
    await load(api, "death", [died(a)])
    # The applicant's death goes into the verification report, not to casework as death-detected.
    assert await deaths_reported(api, a) == []


async def test_obligor_death_is_a_hit_not_a_death_event(api: MatchingApi, broker: Broker) -> None:
    api.clock.set_day(TODAY)
    a, o = fresh_id(), fresh_id(date(1950, 3, 3))
    place = Place.new()
    submitted = application([member(a)], obligors=[obligor(o)], region_code=place.village)
    await broker.deliver(submitted, subject="application")
    hh = new_household_id()
    await broker.deliver(decided(submitted.application_id, hh), subject="application")
    await paid_household(broker, hh, place.village, [member(a)])
    await load(api, "death", [died(o, "李赡养")])
    assert await deaths_reported(api, o) == []
    [hit] = await hits_of(api, o)
    assert (hit.rule_id, hit.role, hit.household_id) == ("death_obligor", "obligor", hh)


async def test_deaths_are_listed_masked_for_staff_of_the_region(api: MatchingApi, broker: Broker) -> None:
    api.clock.set_day(TODAY)
    a = fresh_id(date(1939, 9, 9))
    hh, place = new_household_id(), Place.new()
    await paid_household(broker, hh, place.village, [member(a, "王建国")])
    feed = await load(api, "death", [died(a, "王建国", on="2026-10-05")])

    for who in (place.officer(), place.officer(StaffRole.county_officer)):
        reply = await api.get("/api/v1/matching/deaths", who)
        assert reply.status_code == 200, reply.text
        [item] = [i for i in reply.json()["items"] if hh in i["household_ids"]]
        assert item == {
            "person_id_masked": IdNumber.parse(a).masked(),
            "person_name_masked": "王*国",
            "death_date": "2026-10-05",
            "source": "death",
            "feed_id": feed["feed_id"],
            "household_ids": [hh],
            "region_code": place.village,
            "raised_at": item["raised_at"],
        }
        assert a not in reply.text
        assert "王建国" not in reply.text

    elsewhere = Place.new()
    reply = await api.get("/api/v1/matching/deaths", elsewhere.officer(StaffRole.county_officer))
    assert reply.status_code == 200
    assert all(i["region_code"].startswith(elsewhere.county) for i in reply.json()["items"])
    assert all(hh not in i["household_ids"] for i in reply.json()["items"])
    outside = await api.get(
        "/api/v1/matching/deaths", elsewhere.officer(StaffRole.county_officer), params={"region_code": place.county}
    )
    assert outside.status_code == 403
    assistant = await api.get("/api/v1/matching/deaths", place.officer(StaffRole.village_assistant))
    assert assistant.status_code == 403


async def test_deaths_page_with_a_cursor(api: MatchingApi, broker: Broker) -> None:
    api.clock.set_day(TODAY)
    place = Place.new()
    people = [fresh_id(date(1930 + i, 1, 1)) for i in range(3)]
    for person in people:
        await paid_household(broker, new_household_id(), place.village, [member(person)])
    await load(api, "death", [died(p) for p in people])
    officer = place.officer(StaffRole.county_officer)
    seen: list[str] = []
    cursor: str | None = None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = (await api.get("/api/v1/matching/deaths", officer, params=params)).json()
        seen += [i["person_id_masked"] for i in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == sorted(IdNumber.parse(p).masked() for p in people)
    forged = await api.get("/api/v1/matching/deaths", officer, params={"cursor": "not-a-cursor"})
    assert forged.status_code == 422
