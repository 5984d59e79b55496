"""The hits workflow (DOMAIN.md §5): townships list and check the hits of their region, confirm them (casework opens a
review: `match-hit-confirmed`) or dismiss them with a reason, within two weeks (seed 001); counties watch the
overdue ones. The schedules that re-run a source's latest feed are at the end."""

from __future__ import annotations

import datetime as dt
from typing import Any

from libs.contracts.id_number import IdNumber
from libs.contracts.staff import StaffRole
from services.matching.sources import SOURCES
from tests.matching.flow_support import (
    TODAY,
    Place,
    confirmations,
    firm,
    flew,
    hits_of,
    load,
    load_latest,
    new_household_id,
    on_payroll,
    paid_household,
)
from tests.matching.support import Broker, MatchingApi, fresh_id, member, staff

HITS = "/api/v1/matching/hits"


async def _household(broker: Broker, place: Place, *people: str) -> str:
    hh = new_household_id()
    await paid_household(
        broker,
        hh,
        place.village,
        [member(p, "张三丰" if i == 0 else "李四", "head" if i == 0 else "son") for i, p in enumerate(people)],
    )
    return hh


async def _one_hit(api: MatchingApi, broker: Broker, place: Place | None = None) -> tuple[str, str, str, Place]:
    """A household with one business-registration hit; (hit id, person, household, place)."""
    api.clock.set_day(TODAY)
    place = place or Place.new()
    person = fresh_id()
    hh = await _household(broker, place, person)
    await load(api, "business", [firm(person)])
    [hit] = await hits_of(api, person)
    return hit.id, person, hh, place


async def _items(api: MatchingApi, place: Place, **params: Any) -> list[dict[str, Any]]:
    reply = await api.get(HITS, place.officer(), params=params)
    assert reply.status_code == 200, reply.text
    items: list[dict[str, Any]] = reply.json()["items"]
    return items


async def test_township_officer_lists_only_their_township(api: MatchingApi, broker: Broker) -> None:
    mine, person, hh, place = await _one_hit(api, broker)
    other = place.another_township()
    theirs, *_ = await _one_hit(api, broker, other)
    items = await _items(api, place)
    assert [i["hit_id"] for i in items] == [mine]
    [item] = items
    assert (item["household_id"], item["township_code"], item["region_code"]) == (hh, place.township, place.village)
    assert (item["rule"], item["source"], item["status"], item["overdue"]) == (
        "business_registration",
        "business",
        "open",
        False,
    )
    assert item["person_id_masked"] == IdNumber.parse(person).masked()
    assert item["due_date"] == (TODAY + dt.timedelta(days=14)).isoformat()
    county = await api.get(HITS, place.officer(StaffRole.county_officer))
    assert {i["hit_id"] for i in county.json()["items"]} == {mine, theirs}
    outside = await api.get(HITS, place.officer(), params={"region_code": other.township})
    assert outside.status_code == 403
    assert (await api.get(HITS, place.officer(StaffRole.village_assistant))).status_code == 403


async def test_filters_by_status_source_rule_and_overdue(api: MatchingApi, broker: Broker) -> None:
    api.clock.set_day(TODAY)
    place = Place.new()
    a, b = fresh_id(), fresh_id()
    await _household(broker, place, a, b)
    await load(api, "business", [firm(a), firm(b, "李四")])
    await load(api, "flight", [flew(a)])
    assert len(await _items(api, place)) == 3
    business = await _items(api, place, source="business")
    assert {i["rule"] for i in business} == {"business_registration"}
    assert len(business) == 2
    [flight] = await _items(api, place, rule="flight")
    assert flight["source"] == "flight"
    dismissed = await api.post(f"{HITS}/{flight['hit_id']}/dismiss", place.officer(), {"reason": "探亲机票由子女购买"})
    assert dismissed.status_code == 200
    assert [i["hit_id"] for i in await _items(api, place, status="dismissed")] == [flight["hit_id"]]
    assert len(await _items(api, place, status="open")) == 2
    assert await _items(api, place, overdue="true") == []
    assert await _items(api, place, source="vehicle") == []
    assert (await api.get(HITS, place.officer(), params={"status": "maybe"})).status_code == 422


async def test_pages_with_a_cursor(api: MatchingApi, broker: Broker) -> None:
    api.clock.set_day(TODAY)
    place = Place.new()
    people = [fresh_id() for _ in range(3)]
    for person in people:
        await _household(broker, place, person)
    await load(api, "business", [firm(p) for p in people])
    seen: list[str] = []
    cursor: str | None = None
    for _ in range(5):
        reply = await api.get(HITS, place.officer(), params={"limit": 1, **({"cursor": cursor} if cursor else {})})
        page = reply.json()
        seen += [i["hit_id"] for i in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == 3
    assert seen == sorted(seen)  # one due date: ordered by id
    for forged in ("not-a-cursor", "eyJhZnRlciI6IFsxXX0"):  # the second is {"after": [1]}: the wrong shape
        reply = await api.get(HITS, place.officer(), params={"cursor": forged})
        assert reply.status_code == 422, forged
        assert reply.json()["code"] == "invalid_cursor"
    assert (await api.get(HITS, place.officer(), params={"limit": 0})).status_code == 422


async def test_get_one(api: MatchingApi, broker: Broker) -> None:
    hit_id, person, hh, place = await _one_hit(api, broker)
    reply = await api.get(f"{HITS}/{hit_id}", place.officer())
    assert reply.status_code == 200
    assert (reply.json()["hit_id"], reply.json()["household_id"]) == (hit_id, hh)
    assert person not in reply.text
    assert (await api.get(f"{HITS}/no-such-hit", place.officer())).status_code == 404
    assert (await api.get(f"{HITS}/{hit_id}", place.another_township().officer())).status_code == 403


async def test_confirm_sends_the_evidence_to_casework_once(api: MatchingApi, broker: Broker) -> None:
    hit_id, person, hh, place = await _one_hit(api, broker)
    officer = staff(StaffRole.township_officer, place.township, name="乡镇审核员")
    reply = await api.post(f"{HITS}/{hit_id}/confirm", officer, {"note": "经核实确有经营"})
    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert (body["status"], body["resolution"], body["resolved_by"]) == ("confirmed", "经核实确有经营", "乡镇审核员")
    [event] = await confirmations(api, hit_id)
    # The consumer opens a review of this person: it needs the full number and name (DOMAIN.md §11).
    assert (event.person.id_number, event.person.name) == (person, "张三丰")
    assert (event.rule, event.source, event.household_id) == ("business_registration", "business", hh)
    assert (event.severity, event.suggested_action) == (body["severity"], body["suggested_action"])
    assert event.evidence == body["evidence"]
    assert event.evidence["source"] == "business"

    again = await api.post(f"{HITS}/{hit_id}/confirm", officer, {"note": "再次确认"})
    assert again.status_code == 409
    assert again.json()["code"] == "hit_closed"
    dismiss = await api.post(f"{HITS}/{hit_id}/dismiss", officer, {"reason": "改主意"})
    assert dismiss.status_code == 409
    assert len(await confirmations(api, hit_id)) == 1
    assert (await api.get(f"{HITS}/{hit_id}", officer)).json()["resolution"] == "经核实确有经营"


async def test_dismiss_needs_a_reason(api: MatchingApi, broker: Broker) -> None:
    hit_id, _, _, place = await _one_hit(api, broker)
    officer = place.officer()
    for bad in ({}, {"reason": ""}, {"reason": "   "}, {"reason": "ok", "extra": 1}, {"reason": "x" * 2001}):
        reply = await api.post(f"{HITS}/{hit_id}/dismiss", officer, bad)
        assert reply.status_code == 422, bad
    assert (await api.get(f"{HITS}/{hit_id}", officer)).json()["status"] == "open"
    reply = await api.post(f"{HITS}/{hit_id}/dismiss", officer, {"reason": "营业执照已吊销，实际未经营"})
    assert reply.status_code == 200
    assert (reply.json()["status"], reply.json()["resolution"]) == ("dismissed", "营业执照已吊销，实际未经营")
    assert await confirmations(api, hit_id) == []
    assert (await api.post(f"{HITS}/{hit_id}/confirm", officer, {})).status_code == 409
    assert await confirmations(api, hit_id) == []


async def test_only_township_and_county_officers_of_the_region_check_hits(api: MatchingApi, broker: Broker) -> None:
    hit_id, _, _, place = await _one_hit(api, broker)
    for who, status in (
        (place.officer(StaffRole.village_assistant), 403),
        (place.another_township().officer(), 403),
        (staff(StaffRole.city_supervisor, place.county[:4]), 403),
    ):
        assert (await api.post(f"{HITS}/{hit_id}/confirm", who, {})).status_code == status
        assert (await api.post(f"{HITS}/{hit_id}/dismiss", who, {"reason": "x"})).status_code == status
    assert (await api.get(f"{HITS}/{hit_id}", place.officer())).json()["status"] == "open"
    assert await confirmations(api, hit_id) == []
    # A county officer may close it too.
    county = await api.post(f"{HITS}/{hit_id}/confirm", place.officer(StaffRole.county_officer), {})
    assert county.status_code == 200


async def test_overdue_after_two_weeks(api: MatchingApi, broker: Broker) -> None:
    hit_id, _, _, place = await _one_hit(api, broker)
    other = place.another_township()
    other_hit, *_ = await _one_hit(api, broker, other)
    county = place.officer(StaffRole.county_officer)
    api.clock.set_day(TODAY + dt.timedelta(days=14))  # the due date itself: not late yet
    assert await _items(api, place, overdue="true") == []
    api.clock.set_day(TODAY + dt.timedelta(days=15))
    [late] = await _items(api, place, overdue="true")
    assert (late["hit_id"], late["overdue"]) == (hit_id, True)
    reply = await api.get(f"{HITS}/overdue", county)
    assert reply.status_code == 200, reply.text
    body = reply.json()
    due = (TODAY + dt.timedelta(days=14)).isoformat()
    assert body["region_code"] == place.county
    assert {(t["township_code"], t["overdue"], t["oldest_due_date"]) for t in body["by_township"]} == {
        (place.township, 1, due),
        (other.township, 1, due),
    }
    assert {i["hit_id"] for i in body["items"]} == {hit_id, other_hit}
    assert (await api.get(f"{HITS}/overdue", place.officer())).status_code == 403
    # Closing it takes it off the overdue list.
    await api.post(f"{HITS}/{hit_id}/dismiss", place.officer(), {"reason": "已核实"})
    body = (await api.get(f"{HITS}/overdue", county)).json()
    assert [t["township_code"] for t in body["by_township"]] == [other.township]


async def test_counts_by_status_and_overdue_inside_the_jurisdiction(api: MatchingApi, broker: Broker) -> None:
    _, _, _, place = await _one_hit(api, broker)
    dismissed, *_ = await _one_hit(api, broker, place)
    other = place.another_township()
    await _one_hit(api, broker, other)
    await api.post(f"{HITS}/{dismissed}/dismiss", place.officer(), {"reason": "已注销"})
    counts = await api.get(f"{HITS}/counts", place.officer())
    assert counts.status_code == 200, counts.text
    assert counts.json() == {"by_status": {"open": 1, "dismissed": 1}, "overdue": 0}
    county = await api.get(f"{HITS}/counts", place.officer(StaffRole.county_officer))
    assert county.json() == {"by_status": {"open": 2, "dismissed": 1}, "overdue": 0}
    # Past the two weeks, the open ones are overdue; the due date itself is not late yet.
    api.clock.set_day(TODAY + dt.timedelta(days=14))
    assert (await api.get(f"{HITS}/counts", place.officer())).json()["overdue"] == 0
    api.clock.set_day(TODAY + dt.timedelta(days=15))
    assert (await api.get(f"{HITS}/counts", place.officer())).json()["overdue"] == 1
    assert (await api.get(f"{HITS}/counts", place.officer(StaffRole.county_officer))).json()["overdue"] == 2
    by_township = await api.get(
        f"{HITS}/counts", place.officer(StaffRole.county_officer), {"region_code": other.township}
    )
    assert by_township.json() == {"by_status": {"open": 1}, "overdue": 1}
    # Another county's officer counts nothing here, and may not ask for this county.
    elsewhere = Place.new().officer(StaffRole.county_officer)
    assert (await api.get(f"{HITS}/counts", elsewhere)).json() == {"by_status": {}, "overdue": 0}
    refused = await api.get(f"{HITS}/counts", elsewhere, {"region_code": place.county})
    assert (refused.status_code, refused.json()["code"]) == (403, "outside_jurisdiction")
    assert (await api.get(f"{HITS}/counts", place.officer(StaffRole.village_assistant))).status_code == 403
    assert (await api.get(f"{HITS}/counts", place.officer(), {"region_code": "14x"})).status_code == 422


async def test_closed_evidence_never_raises_again(api: MatchingApi, broker: Broker) -> None:
    hit_id, person, _, place = await _one_hit(api, broker)
    await api.post(f"{HITS}/{hit_id}/dismiss", place.officer(), {"reason": "已注销"})
    [hit] = await hits_of(api, person)
    code = hit.evidence["credit_code"]
    feed = await load(api, "business", [firm(person, code=code)])
    assert feed["hits_raised"] == 0
    assert [(h.id, h.status) for h in await hits_of(api, person)] == [(hit_id, "dismissed")]
    # New evidence (another registration) is a new suspicion.
    await load(api, "business", [firm(person)])
    assert len(await hits_of(api, person)) == 2


async def test_schedules_are_changed_by_administrators_only(api: MatchingApi) -> None:
    admin = staff(StaffRole.system_admin, "65")
    listed = await api.get("/api/v1/matching/schedules", Place.new().officer())
    assert listed.status_code == 200
    assert {s["source"] for s in listed.json()} == set(SOURCES)
    before = {s["source"]: s["frequency"] for s in listed.json()}
    url = "/api/v1/matching/schedules/prison"
    assert (await api.put(url, staff(StaffRole.county_officer, "65"), {"frequency": "monthly"})).status_code == 403
    assert (await api.put("/api/v1/matching/schedules/tarot", admin, {"frequency": "monthly"})).status_code == 404
    assert (await api.put(url, admin, {"frequency": "weekly"})).status_code == 422
    after = {s["source"]: s["frequency"] for s in (await api.get("/api/v1/matching/schedules", admin)).json()}
    assert after == before
    # Setting the frequency it has makes the next run due at once, and changes nothing else.
    reply = await api.put(url, admin, {"frequency": before["prison"]})
    assert reply.status_code == 200
    assert (reply.json()["frequency"], reply.json()["next_run_at"]) == (before["prison"], None)


async def test_scheduled_run_matches_people_watched_since_the_feed(api: MatchingApi, broker: Broker) -> None:
    api.clock.set_day(TODAY)
    admin = staff(StaffRole.system_admin, "65")
    person = fresh_id()
    await load_latest(api, "public_payroll", [on_payroll(person)])
    assert await hits_of(api, person) == []  # not watched when the feed came
    await _household(broker, Place.new(), person)
    # Seed 001: public payroll is matched half-yearly; re-setting it makes the run due now.
    reply = await api.put("/api/v1/matching/schedules/public_payroll", admin, {"frequency": "half_yearly"})
    assert reply.status_code == 200
    assert await api.run_schedules() >= 1
    assert [h.rule_id for h in await hits_of(api, person)] == ["public_payroll"]
    [schedule] = [
        s for s in (await api.get("/api/v1/matching/schedules", admin)).json() if s["source"] == "public_payroll"
    ]
    assert schedule["last_run_at"] is not None
    next_run = dt.datetime.fromisoformat(schedule["next_run_at"])
    assert next_run > api.clock() + dt.timedelta(days=180)
    # Not due again until then: a second pass leaves the schedule as it is.
    await api.run_schedules()
    [again] = [
        s for s in (await api.get("/api/v1/matching/schedules", admin)).json() if s["source"] == "public_payroll"
    ]
    assert again == schedule
    assert len(await hits_of(api, person)) == 1
