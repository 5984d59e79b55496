"""Helpers shared by the rule tests: a watched household, a feed in one source's columns, and the hits it raised.

Every feed is dated `AS_OF` (the upload default) and the clock is set to that day, so the watch list's current month
is 2026-11 and a hit raised today is due `AS_OF` + 14 days (DOMAIN.md §5, seed 001: checked within two weeks).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from libs.contracts.clock import business_date
from libs.contracts.programs import Program
from libs.contracts.staff import StaffRole
from services.matching.hits.models import Death, Hit
from services.matching.sources import SOURCES
from tests.matching.support import (
    Broker,
    Household,
    MatchingApi,
    application,
    csv_feed,
    decided,
    fresh_id,
    member,
    obligor,
    recipient_household,
    staff,
)

AS_OF = date(2026, 11, 20)
DUE = AS_OF + timedelta(days=14)


def day(delta: int = 0, *, years: int = 0) -> str:
    """`AS_OF` moved by `years` calendar years and then `delta` days, as a feed writes it."""
    return (AS_OF.replace(year=AS_OF.year + years) + timedelta(days=delta)).isoformat()


def today(api: MatchingApi) -> None:
    api.clock.set_day(AS_OF)


def row(source: str, person: str, **fields: Any) -> str:
    """One CSV row of `source` in its column order; a column not given is left empty."""
    return ",".join([person, "张三丰", *(_text(fields.get(name)) for name in SOURCES[source].columns)])


def _text(value: object) -> str:
    if value is None:
        return ""
    return str(value).lower() if isinstance(value, bool) else str(value)


async def load(api: MatchingApi, source: str, rows: list[str]) -> dict[str, Any]:
    """Upload a feed of `source` and run the worker; every row must load."""
    header = ",".join(["id_number", "name", *SOURCES[source].columns])
    feed = await api.load(source, csv_feed(header, rows))
    assert feed["status"] == "done", feed
    assert feed["rows_rejected"] == 0, feed
    return feed


async def watched(
    broker: Broker, size: int = 1, *, program: Program = Program.DIBAO, effective_from: str = "2026-01"
) -> tuple[Household, list[str]]:
    """A household of `size` fresh members paid under `program`; its members' identity numbers."""
    people = [fresh_id() for _ in range(size)]
    relations = ["head", "spouse", "child", "child", "parent"]
    members = [member(p, relation=relations[i % len(relations)]) for i, p in enumerate(people)]
    household = await recipient_household(broker, members, program=program, effective_from=effective_from)
    return household, people


async def with_obligor(broker: Broker, household: Household, program: Program = Program.DIBAO) -> str:
    """An obligor declared on the household's application, moved into the household by the approval."""
    person = fresh_id(date(1960, 3, 4))
    submitted = application(
        list(household.members), obligors=[obligor(person)], program=program, region_code=household.region_code
    )
    await broker.deliver(submitted)
    await broker.deliver(decided(submitted.application_id, household.household_id))
    return person


async def hits_of(api: MatchingApi, household: Household) -> list[Hit]:
    async with api.db.sessions() as s:
        found = await s.scalars(select(Hit).where(Hit.household_id == household.household_id).order_by(Hit.rule_id))
        return list(found.all())


async def rules_hit(api: MatchingApi, household: Household) -> list[str]:
    return [h.rule_id for h in await hits_of(api, household)]


async def deaths_of(api: MatchingApi, household: Household) -> list[Death]:
    async with api.db.sessions() as s:
        found = await s.scalars(select(Death).where(Death.household_ids.contains([household.household_id])))
        return list(found.all())


async def api_hits(api: MatchingApi, household: Household, **params: str) -> list[dict[str, Any]]:
    """The household's hits as its township officer lists them."""
    officer = staff(StaffRole.township_officer, household.region_code[:9])
    reply = await api.get("/api/v1/matching/hits", officer, params=params)
    assert reply.status_code == 200, reply.text
    return [h for h in reply.json()["items"] if h["household_id"] == household.household_id]


@dataclass(frozen=True)
class Expected:
    rule: str
    severity: str
    role: str = "member"


def check_hit(hit: Hit, want: Expected, household: Household, feed: dict[str, Any], **evidence: Any) -> None:
    """`hit` is `want`'s, for `household`, raised from `feed` today and due in two weeks, with `evidence`."""
    assert (hit.rule_id, hit.severity, hit.role) == (want.rule, want.severity, want.role)
    assert hit.household_id == household.household_id
    assert hit.region_code == household.region_code
    assert hit.township_code == household.region_code[:9]
    assert hit.status == "open"
    assert hit.feed_id == feed["feed_id"]
    assert business_date(hit.raised_at) == AS_OF
    assert hit.due_date == DUE
    # A household rule's evidence is its records (two homes), each as a record rule shows one.
    for record in hit.evidence.get("records", [hit.evidence]):
        assert (record["source"], record["feed_id"]) == (feed["source"], feed["feed_id"])
        assert record["as_of"] == AS_OF.isoformat()
    for name, value in evidence.items():
        assert hit.evidence.get(name) == value, (name, hit.evidence)
