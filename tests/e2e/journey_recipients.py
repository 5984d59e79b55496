"""Recipient households for the end-to-end journeys, set up the way a county really starts: the county officer enters
the county's standards and imports the households it already pays (as libs/demo_county/casework.py does), and
rosters are built, locked and submitted through the gateway (as libs/demo_county/disbursement.py does).

Every identity number and bank account sent is registered with the harness, so the privacy scan looks for it in every
process's log. Months are reckoned from the real China date: the services run on the real clock (no service takes a
clock setting), so a journey's months are "this month", "last month" and "next month".
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from libs.contracts.clock import CHINA_TZ, china_today
from libs.demo_county.casework import FIGURES
from libs.demo_county.intake import fictional_id
from tests.e2e.journey_payment import (
    Cast,
    Entitlement,
    Family,
    apply,
    approve,
    entitlement,
    investigate,
    new_family,
    pass_publicity,
    publicise,
    send_death_register,
    verify,
)
from tests.e2e.system import SERVICES, Actor, WholeSystem, new_county
from tests.support.waiting import wait_until

# Broker hops on a 2-core machine shared with other test runs: generous, never part of an assertion.
EVENT_TIMEOUT = 120.0
LOCK_ATTEMPTS = 5

ROSTERS = "/api/v1/disbursement/rosters"
FINANCE_ROSTERS = "/api/v1/finance/rosters"


def period(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def this_month() -> date:
    return china_today().replace(day=1)


def next_month(month: date) -> date:
    return (month + timedelta(days=32)).replace(day=1)


def previous_month(month: date) -> date:
    return (month - timedelta(days=1)).replace(day=1)


@dataclass(frozen=True)
class Person:
    id_number: str
    name: str


@dataclass
class County:
    """A fresh county of the scenario, one village in it, and its staff."""

    system: WholeSystem
    code: str
    village: str
    officer: Actor  # county officer
    township: Actor  # township officer of the village's township

    @property
    def township_code(self) -> str:
        return self.village[:9]


async def open_county(system: WholeSystem, figures: dict[str, Any] | None = None) -> County:
    """A county nobody else uses, its standards entered by its county officer (`figures` replace or add to the demo
    county's, from the first day of last year)."""
    code = new_county()
    village = f"{code}001001"
    officer = await system.staff("county_officer", code, display_name="县民政局 经办人")
    township = await system.staff("township_officer", village[:9], display_name="乡镇 经办人")
    first_of_year = f"{china_today().year - 1}-01-01"
    reply = await officer.http.post(
        "/api/v1/casework/standards",
        json={"region_prefix": code, "effective_from": first_of_year, "figures": {**FIGURES, **(figures or {})}},
    )
    assert reply.status_code == 201, reply.text
    return County(system, code, village, officer, township)


def person(county: County, born: str, seq: str, name: str) -> Person:
    """A fictional person registered in the county (valid check digit, never a real one)."""
    found = Person(fictional_id(born, seq, county.code), name)
    county.system.remember_personal_data([found.id_number])
    return found


def account_no(county: County, n: int) -> str:
    """A 19-digit card number nobody else's scenario uses (it carries the county code)."""
    number = f"6230{county.code}{n:09d}"
    county.system.remember_personal_data([number])
    return number


async def import_recipient(
    county: County,
    members: list[tuple[str, Person]],
    programs: list[tuple[str, str]],
    *,
    legacy_ref: str,
    account: str,
    bank_code: str = "SXRCU",
) -> dict[str, Any]:
    """The county officer registers a household it already pays (`POST /households/import`): members as
    (relation, person), programs as (program, monthly amount), paid since two years back. Returns casework's view."""
    head = next(p for relation, p in members if relation == "head")
    since = f"{this_month().year - 2}-01"  # paid for years by the system the county is leaving
    body = {
        "region_code": county.village,
        "legacy_ref": legacy_ref,
        "members": [{"relation": relation, "id_number": p.id_number, "name": p.name} for relation, p in members],
        "programs": [{"program": program, "monthly_amount": amount, "since": since} for program, amount in programs],
        "review_class": "B",
        # Not due within the journey: the review calendar must not open a periodic review of its own.
        "next_review_date": (china_today() + timedelta(days=300)).isoformat(),
        "account": {"bank_code": bank_code, "account_no": account, "holder_name": head.name},
    }
    reply = await county.officer.http.post("/api/v1/casework/households/import", json=body)
    assert reply.status_code == 201, reply.text
    return dict(reply.json())


async def decided_recipients(county: County, count: int) -> list[tuple[Family, Entitlement]]:
    """`count` families of three, each in a village of its own in the county's township, paid on a decided case: they
    apply at once and go through the payment journey's steps (journey_payment.py) up to the entitlement in
    disbursement's ledger. Unlike an imported household, such a household's case holds the facts (members, verified
    income) a recalculation reads."""
    system = county.system
    finance = await system.partner("finance", county.code)
    registry = await system.partner("registry_feed", county.code[:2])

    async def one(village_no: int) -> tuple[Family, Entitlement]:
        family = new_family(system, county.code, village_no=village_no)
        assistant = await system.staff("village_assistant", family.village, "村协理员")
        cast = Cast(assistant, county.township, county.officer, finance, registry)
        application = await apply(system, cast, family)
        await verify(cast, family, application)
        await investigate(cast, family, application.case_id, china_today())
        await publicise(cast, family, application.case_id)
        # Together: one run of casework's worker ends every family's publicity. The families run at once, so not by
        # the training clock: it would shift the other families' steps (tests/e2e/journey_payment.py).
        await pass_publicity(system, cast, application.case_id, by_clock=False)
        return family, await entitlement(cast, await approve(cast, application))

    # The death register the applications are verified against (a stranger's death), sent once for the county: of
    # a cast, only the registry partner takes part in it.
    anyone = Cast(county.officer, county.township, county.officer, finance, registry)
    await send_death_register(system, anyone, county.code, china_today())
    # Villages from 002: 001 is the county's own village (`County.village`).
    return list(await asyncio.gather(*(one(n) for n in range(2, count + 2))))


async def payment_file(county: County, household_id: str) -> dict[str, Any] | None:
    """Disbursement's payment file of the household as the county officer sees it; None until the ledger has it."""
    reply = await county.officer.http.get(f"/api/v1/disbursement/households/{household_id}")
    if reply.status_code == 404:
        return None
    assert reply.status_code == 200, reply.text
    return dict(reply.json())


async def wait_in_ledger(county: County, household_id: str, programs: set[str]) -> dict[str, Any]:
    """Casework's import has reached disbursement over the broker: every programme is an entitlement there."""

    def complete(file: dict[str, Any] | None) -> bool:
        return file is not None and programs <= {e["program"] for e in file["entitlements"]}

    file = await wait_until(lambda: payment_file(county, household_id), complete, timeout=EVENT_TIMEOUT, every=0.5)
    assert file is not None
    return file


async def wait_watched(county: County, households: int) -> None:
    """Casework's imports have reached matching's watch list (so a registry feed is matched against them)."""

    async def summary() -> int:
        reply = await county.officer.http.get(
            "/api/v1/matching/watch-list/summary", params={"region_code": county.code}
        )
        assert reply.status_code == 200, reply.text
        return int(reply.json()["households"])

    await wait_until(summary, lambda n: n >= households, timeout=EVENT_TIMEOUT, every=0.5)


async def roster_action(county: County, roster_id: str, action: str, body: Any = None) -> Any:
    return await county.officer.http.post(f"{ROSTERS}/{roster_id}/{action}", json=body)


async def submitted_roster(county: County, month: date) -> dict[str, Any]:
    """The county officer builds the month's roster, locks it and submits it to finance. A ledger that moved since
    the build (an event arriving meanwhile) makes the lock `roster_outdated`: rebuild and lock again, as officers do."""
    built = await county.officer.http.post(ROSTERS, json={"region_code": county.code, "period": period(month)})
    assert built.status_code == 201, built.text
    return await lock_and_submit(county, str(built.json()["roster_id"]))


async def lock_and_submit(county: County, roster_id: str) -> dict[str, Any]:
    """The county officer locks a draft roster, rebuilding it while it is `roster_outdated`, and submits it."""
    for _ in range(LOCK_ATTEMPTS):
        locked = await roster_action(county, roster_id, "lock")
        if locked.status_code == 200:
            break
        assert locked.status_code == 409, locked.text
        assert locked.json()["code"] == "roster_outdated", locked.text
        rebuilt = await roster_action(county, roster_id, "rebuild")
        assert rebuilt.status_code == 200, rebuilt.text
    else:
        raise AssertionError(f"roster {roster_id} stayed outdated over {LOCK_ATTEMPTS} rebuilds")
    submitted = await roster_action(county, roster_id, "submit")
    assert submitted.status_code == 200, submitted.text
    assert submitted.json()["status"] == "submitted"
    return dict(submitted.json())


async def staff_lines(county: County, roster_id: str) -> list[dict[str, Any]]:
    return await _pages(county.officer, f"{ROSTERS}/{roster_id}/lines")


async def finance_lines(finance: Actor, roster_id: str) -> list[dict[str, Any]]:
    return await _pages(finance, f"{FINANCE_ROSTERS}/{roster_id}/lines")


async def _pages(actor: Actor, path: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        reply = await actor.http.get(path, params={"limit": 100, **({"cursor": cursor} if cursor else {})})
        assert reply.status_code == 200, reply.text
        items += reply.json()["items"]
        cursor = reply.json()["next_cursor"]
        if cursor is None:
            return items


async def report_all_paid(finance: Actor, roster_id: str, bank: str = "SXRCU") -> dict[str, Any]:
    """Finance pays every line of a submitted roster and posts the results (bank transaction ids from the lines, so
    a repeat is the same result); its answer."""
    paid_at = datetime.now(CHINA_TZ).replace(microsecond=0).isoformat()  # the bank's time, in China time
    results = [
        {"line_id": line["line_id"], "status": "paid", "paid_at": paid_at,
         "bank_txn_id": f"{bank}-{roster_id[-12:]}-{line['line_no']:04d}"}
        for line in await finance_lines(finance, roster_id)
    ]  # fmt: skip
    reply = await finance.http.post(f"{FINANCE_ROSTERS}/{roster_id}/payment-results", json={"results": results})
    assert reply.status_code == 200, reply.text
    return dict(reply.json())


def items(line: dict[str, Any]) -> list[tuple[str, str]]:
    """A roster line's items as (kind, amount)."""
    return [(i["kind"], i["amount"]) for i in line["items"]]


async def published(engine: AsyncEngine, service: str, event_type: str, household_id: str) -> int:
    """How many `event_type` events `service` has published about the household: its outbox keeps every event it ever
    queued, keyed by household (CONTRACTS.md §6). Read only, and only to count what no API lists."""
    assert service in SERVICES
    # The schema is one of the five service names (checked above), never input.
    query = text(f"SELECT count(*) FROM {service}.outbox WHERE key = :key AND topic LIKE :topic")  # noqa: S608
    async with engine.connect() as conn:
        found = await conn.execute(query, {"key": household_id, "topic": f"%{event_type}"})
        return int(found.scalar_one())


async def casework_household(county: County, household_id: str) -> dict[str, Any]:
    """Casework's registry record of the household as the county officer sees it (members, region, entitlements)."""
    reply = await county.officer.http.get(f"/api/v1/casework/households/{household_id}")
    assert reply.status_code == 200, reply.text
    return dict(reply.json())


async def paid_roster(county: County, finance: Actor, month: date) -> dict[str, Any]:
    """The month's roster built, locked and submitted by the county, every line paid by finance; its lines by
    household."""
    roster = await submitted_roster(county, month)
    assert (await report_all_paid(finance, roster["roster_id"]))["accepted"] == roster["line_count"]
    lines = await staff_lines(county, roster["roster_id"])
    by_household = {line["household_id"]: line for line in lines}
    assert len(by_household) == len(lines), "a household has two lines"
    return by_household
