"""The shipped rules for deaths, prison and employment registries (DOMAIN.md §5), each with records just inside and
just outside its conditions, through the real path: events build the watch list, a feed is uploaded and matched,
and the hits (or death-detected events) are read back."""

from __future__ import annotations

from typing import Any

import pytest

from tests.matching.rule_support import (
    DUE,
    Expected,
    api_hits,
    check_hit,
    day,
    deaths_of,
    hits_of,
    load,
    row,
    rules_hit,
    today,
    watched,
)
from tests.matching.support import Broker, MatchingApi, fresh_id, member, recipient_household

DEATH_SOURCES = ["death", "police_deregistration", "cremation"]


@pytest.fixture(autouse=True)
def _today(api: MatchingApi) -> None:
    today(api)


async def _deaths_for(api: MatchingApi, person: str) -> list[dict[str, Any]]:
    return [e.data for e in await api.outbox_events("death-detected") if e.data["person"]["id_number"] == person]


# --- deaths: death-detected, once per person, never a hit ------------------------------------------------------


@pytest.mark.parametrize("source", DEATH_SOURCES)
async def test_a_members_death_is_one_death_detected_event_and_no_hit(
    api: MatchingApi, broker: Broker, source: str
) -> None:
    household, (head, spouse) = await watched(broker, 2)
    feed = await load(api, source, [row(source, spouse, event_date=day(-3))])

    assert (feed["deaths_raised"], feed["hits_raised"]) == (1, 0)
    [event] = await _deaths_for(api, spouse)
    assert event["death_date"] == day(-3)
    assert event["source"] == source
    assert event["feed_id"] == feed["feed_id"]
    assert event["household_ids"] == [household.household_id]
    assert await _deaths_for(api, head) == []
    assert await hits_of(api, household) == []
    [death] = await deaths_of(api, household)
    assert death.death_date.isoformat() == day(-3)


async def test_a_death_repeated_by_other_registries_is_raised_once(api: MatchingApi, broker: Broker) -> None:
    household, [person] = await watched(broker)
    await load(api, "death", [row("death", person, event_date=day(-10))])
    for source in ("police_deregistration", "cremation", "death"):
        feed = await load(api, source, [row(source, person, event_date=day(-8))])
        assert feed["deaths_raised"] == 0

    [event] = await _deaths_for(api, person)
    assert event["death_date"] == day(-10)
    assert await hits_of(api, household) == []


async def test_a_death_names_every_household_the_person_is_watched_in(api: MatchingApi, broker: Broker) -> None:
    person = fresh_id()
    first = await recipient_household(broker, [member(person)])
    second = await recipient_household(broker, [member(fresh_id()), member(person, relation="parent")])
    await load(api, "cremation", [row("cremation", person, event_date=day(-1))])

    [event] = await _deaths_for(api, person)
    assert sorted(event["household_ids"]) == sorted([first.household_id, second.household_id])


async def test_the_death_of_someone_not_watched_raises_nothing(api: MatchingApi, broker: Broker) -> None:
    household, _ = await watched(broker)
    stranger = fresh_id()
    feed = await load(api, "death", [row("death", stranger, event_date=day(-2))])

    assert (feed["deaths_raised"], feed["hits_raised"]) == (0, 0)
    assert await _deaths_for(api, stranger) == []
    assert await deaths_of(api, household) == []


# --- prison: serving means start <= as_of and (no end or end >= as_of) ------------------------------------------

PRISON = [
    # (household size, start, end, rule raised)
    pytest.param(1, day(-30), "", "prison_sole_member", id="sole-open-ended"),
    pytest.param(1, day(-30), day(0), "prison_sole_member", id="sole-ends-on-as-of"),
    pytest.param(1, day(0), day(90), "prison_sole_member", id="sole-starts-on-as-of"),
    pytest.param(2, day(-30), day(90), "prison_member", id="two-serving"),
    pytest.param(3, day(-400), "", "prison_member", id="three-open-ended"),
    pytest.param(1, day(-400), day(-1), None, id="sole-released-day-before"),
    pytest.param(2, day(-400), day(-1), None, id="two-released-day-before"),
    pytest.param(1, day(1), "", None, id="sole-starts-day-after"),
    pytest.param(2, day(1), day(30), None, id="two-starts-day-after"),
]
SEVERITY = {"prison_sole_member": "high", "prison_member": "medium"}


@pytest.mark.parametrize(("size", "start", "end", "rule"), PRISON)
async def test_prison(api: MatchingApi, broker: Broker, size: int, start: str, end: str, rule: str | None) -> None:
    household, people = await watched(broker, size)
    prisoner = people[-1]  # any member counts, not only the head
    feed = await load(api, "prison", [row("prison", prisoner, start_date=start, end_date=end)])

    hits = await hits_of(api, household)
    if rule is None:
        assert hits == []
        assert feed["hits_raised"] == 0
        return
    [hit] = hits
    check_hit(hit, Expected(rule, SEVERITY[rule]), household, feed, start_date=start, row=1)
    assert ("end_date" in hit.evidence) == bool(end)


async def test_a_prison_hit_as_the_township_sees_it(api: MatchingApi, broker: Broker) -> None:
    household, [person] = await watched(broker)
    feed = await load(api, "prison", [row("prison", person, start_date=day(-5))])

    [hit] = await api_hits(api, household)
    assert (hit["rule"], hit["severity"], hit["role"], hit["status"]) == (
        "prison_sole_member",
        "high",
        "member",
        "open",
    )
    assert hit["due_date"] == DUE.isoformat()
    assert hit["overdue"] is False
    assert hit["evidence"]["feed_id"] == feed["feed_id"]
    assert hit["evidence"]["start_date"] == day(-5)
    assert hit["person_id_masked"] != person
    assert hit["person_id_masked"][-4:] == person[-4:]
    assert await api_hits(api, household, rule="prison_member") == []


# --- employment-like registries: a current spell (status not ended…, started by as_of) ---------------------------

EMPLOYMENT = [
    pytest.param("public_payroll", "high", id="public_payroll"),
    pytest.param("employee_medical_insurance", "medium", id="employee_medical_insurance"),
    pytest.param("work_injury", "medium", id="work_injury"),
    pytest.param("provident_fund", "medium", id="provident_fund"),
    pytest.param("retirement", "medium", id="retirement"),
    pytest.param("military", "medium", id="military"),
]
# Spells that are over, or not begun by the feed's as-of date: no hit.
OUTSIDE = [
    {"start_date": day(-100), "status": "ended"},
    {"start_date": day(-100), "status": "ENDED"},  # statuses are lower-cased on load
    {"start_date": day(-100), "status": "terminated"},
    {"start_date": day(-100), "status": "stopped"},
    {"start_date": day(-100), "status": "deregistered"},
    {"start_date": day(1), "status": "active"},
]


@pytest.mark.parametrize(("source", "severity"), EMPLOYMENT)
async def test_employment_spells(api: MatchingApi, broker: Broker, source: str, severity: str) -> None:
    inside, [worker] = await watched(broker)
    other, [_, member_on_day] = await watched(broker, 2)
    outside = [await watched(broker) for _ in OUTSIDE]
    rows = [
        row(source, worker, start_date=day(-365 * 3), status="active"),
        row(source, member_on_day, start_date=day(0), status="suspended"),  # any status but the ended ones
        *(row(source, people[0], **fields) for (_, people), fields in zip(outside, OUTSIDE, strict=True)),
    ]
    feed = await load(api, source, rows)

    assert feed["hits_raised"] == 2
    [hit] = await hits_of(api, inside)
    check_hit(hit, Expected(source, severity), inside, feed, start_date=day(-365 * 3), status="active", row=1)
    [hit] = await hits_of(api, other)
    check_hit(hit, Expected(source, severity), other, feed, start_date=day(0), status="suspended", row=2)
    for household, _ in outside:
        assert await hits_of(api, household) == []


async def test_a_spell_with_no_status_is_rejected_and_raises_nothing(api: MatchingApi, broker: Broker) -> None:
    household, [person] = await watched(broker)
    header = "id_number,name,start_date,status"
    feed = await api.load("public_payroll", f"{header}\n{person},张三丰,{day(-10)},\n")

    assert feed["rows_rejected"] == 1
    assert feed["rejects"][0]["reason"] == "missing_status"
    assert await hits_of(api, household) == []


async def test_the_same_evidence_never_raises_a_second_hit(api: MatchingApi, broker: Broker) -> None:
    household, [person] = await watched(broker)
    rows = [row("retirement", person, start_date=day(-50), status="active")]
    await load(api, "retirement", rows)
    again = await load(api, "retirement", rows)
    assert again["hits_raised"] == 0
    assert await rules_hit(api, household) == ["retirement"]

    # New evidence (another spell) is a new hit.
    changed = await load(api, "retirement", [row("retirement", person, start_date=day(-20), status="active")])
    assert changed["hits_raised"] == 1
    assert sorted(h.evidence["start_date"] for h in await hits_of(api, household)) == [day(-50), day(-20)]


async def test_as_of_decides_not_the_clock(api: MatchingApi, broker: Broker) -> None:
    """A feed dated before a spell began raises nothing, whatever today is (dates are judged as of the feed)."""
    household, [person] = await watched(broker)
    feed = await api.load(
        "provident_fund",
        f"id_number,name,start_date,status\n{person},张三丰,{day(-5)},active\n",
        as_of=day(-6),
    )
    assert feed["status"] == "done"
    assert await hits_of(api, household) == []
