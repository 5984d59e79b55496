"""What the watch-list, verification, deaths and hits tests share: what matching holds about one person (read with
the SQL the runs themselves use), feeds of a few sources, and household events built by hand.

Feeds are global to the test session and verification reads only the latest feed of a snapshot source (ordered by
`as_of`, then arrival), so a test that needs its own feed to be the latest loads it at the latest `as_of` any test
has used (`load_latest`) rather than pushing the date forward for everyone after it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select, text

from libs.contracts.events.base import MemberRef
from libs.contracts.events.casework import HouseholdChange, HouseholdChanged, HouseholdChangeKind, HouseholdSnapshot
from libs.contracts.events.matching import DeathDetected, MatchHitConfirmed, VerificationCompleted
from libs.contracts.programs import Program
from libs.contracts.staff import StaffRole
from libs.kernel.auth import Principal
from services.matching.feeds.models import Feed
from services.matching.hits.models import Death, Hit
from services.matching.rules.matched import current_feeds
from services.matching.watchlist.watched import WATCH_LIST, business_month
from tests.matching.support import (
    Broker,
    MatchingApi,
    csv_feed,
    entitlement,
    new_county,
    new_village,
    staff,
)

DEFAULT_AS_OF = "2026-11-20"
# A fixed "today" inside November 2026 (business month 2026-11), so deadlines and paid months are stable.
TODAY = dt.date(2026, 11, 23)

VEHICLE = "id_number,name,plate,vehicle_type,registered_at,deregistered"
DEATH = "id_number,name,event_date"
BUSINESS = "id_number,name,credit_code,registered_at,status"
FLIGHT = "id_number,name,flight_date,route"
PAYROLL = "id_number,name,start_date,status"
HEADERS = {
    "vehicle": VEHICLE,
    "death": DEATH,
    "cremation": DEATH,
    "police_deregistration": DEATH,
    "business": BUSINESS,
    "flight": FLIGHT,
    "public_payroll": PAYROLL,
}

_plates = iter(range(10000, 99999))


def car(id_number: str, name: str = "张三丰", *, plate: str | None = None) -> str:
    # Registered long before as_of: only `vehicle_not_deregistered` applies, not the recent-purchase warning.
    return f"{id_number},{name},{plate or f'晋D{next(_plates)}'},car,2015-03-01,false"


def died(id_number: str, name: str = "张三丰", on: str = "2026-10-05") -> str:
    return f"{id_number},{name},{on}"


def firm(id_number: str, name: str = "张三丰", *, status: str = "active", code: str | None = None) -> str:
    return f"{id_number},{name},{code or f'91140{uuid.uuid4().hex[:13].upper()}'},2019-06-01,{status}"


def flew(id_number: str, name: str = "张三丰", on: str = "2026-08-01") -> str:
    return f"{id_number},{name},{on},太原-三亚"


def on_payroll(id_number: str, name: str = "张三丰") -> str:
    return f"{id_number},{name},2018-09-01,active"


@dataclass(frozen=True)
class Place:
    """A county of the test's own, one township in it and one village in that township."""

    county: str
    township: str
    village: str

    @classmethod
    def new(cls) -> Place:
        county = new_county()
        village = new_village(county)
        return cls(county, village[:9], village)

    def another_township(self) -> Place:
        village = new_village(self.county)
        while village[:9] == self.township:
            village = new_village(self.county)
        return Place(self.county, village[:9], village)

    def officer(self, role: StaffRole = StaffRole.township_officer) -> Principal:
        region = {StaffRole.township_officer: self.township, StaffRole.village_assistant: self.village}
        return staff(role, region.get(role, self.county))


def ctx_key(api: MatchingApi, id_number: str) -> uuid.UUID:
    return api.ctx.keys.of(id_number)


async def watched(api: MatchingApi, id_number: str) -> set[tuple[str, str]]:
    """(role, household_id) under which a run would match this person now: the runs' own watch-list query."""
    month = business_month(api.clock())
    # Constant SQL (the runs' own); values are bound.
    sql = "WITH watch AS (" + WATCH_LIST + ") SELECT role, household_id FROM watch WHERE person = :person"  # noqa: S608
    query = text(sql)
    async with api.db.sessions() as s:
        rows = (await s.execute(query, {"month": month, "person": ctx_key(api, id_number)})).all()
    return {(str(role), str(household)) for role, household in rows}


async def hits_of(api: MatchingApi, id_number: str) -> list[Hit]:
    async with api.db.sessions() as s:
        found = await s.scalars(select(Hit).where(Hit.person == ctx_key(api, id_number)).order_by(Hit.rule_id))
        return list(found.all())


async def death_row(api: MatchingApi, id_number: str) -> Death | None:
    async with api.db.sessions() as s:
        return await s.get(Death, ctx_key(api, id_number))


async def deaths_reported(api: MatchingApi, id_number: str) -> list[DeathDetected]:
    events = [DeathDetected.model_validate(e.data) for e in await api.outbox_events("death-detected")]
    return [e for e in events if e.person.id_number == id_number]


async def reports(api: MatchingApi, application_id: str) -> list[VerificationCompleted]:
    events = [VerificationCompleted.model_validate(e.data) for e in await api.outbox_events("verification-completed")]
    return [e for e in events if e.application_id == application_id]


async def confirmations(api: MatchingApi, hit_id: str) -> list[MatchHitConfirmed]:
    events = [MatchHitConfirmed.model_validate(e.data) for e in await api.outbox_events("match-hit-confirmed")]
    return [e for e in events if e.hit_id == hit_id]


async def loaded_sources(api: MatchingApi) -> set[str]:
    """Sources verification can check right now (a done, indexed feed that was not purged)."""
    async with api.db.sessions() as s:
        return {f.source for f in await current_feeds(s)}


async def latest_as_of(api: MatchingApi, source: str) -> str:
    async with api.db.sessions() as s:
        latest = await s.scalar(select(func.max(Feed.as_of)).where(Feed.source == source))
    return max(DEFAULT_AS_OF, latest.isoformat() if latest else DEFAULT_AS_OF)


async def load_latest(api: MatchingApi, source: str, rows: list[str]) -> dict[str, Any]:
    """A feed of `source` that is the newest one verification and schedules read; done."""
    feed = await api.load(source, csv_feed(HEADERS[source], rows), as_of=await latest_as_of(api, source))
    assert feed["status"] == "done", feed
    return feed


async def load(api: MatchingApi, source: str, rows: list[str], as_of: str = DEFAULT_AS_OF) -> dict[str, Any]:
    feed = await api.load(source, csv_feed(HEADERS[source], rows), as_of=as_of)
    assert feed["status"] == "done", feed
    return feed


async def household_changed(
    broker: Broker,
    household_id: str,
    region_code: str,
    members: list[MemberRef],
    *,
    at: datetime,
    closed: bool = False,
    predecessor: str | None = None,
    kind: HouseholdChangeKind = HouseholdChangeKind.MEMBER_UPDATED,
) -> None:
    await broker.deliver(
        HouseholdChanged(
            household=HouseholdSnapshot(
                household_id=household_id,
                region_code=region_code,
                head_id_number=members[0].id_number if members else None,
                members=tuple(members),
                programs=(Program.DIBAO,),
                closed=closed,
            ),
            changes=(HouseholdChange(kind=kind),),
            predecessor_household_id=predecessor,
            changed_at=at,
        ),
        subject=f"household/{household_id}",
    )


async def paid_household(
    broker: Broker, household_id: str, region_code: str, members: list[MemberRef], *, at: datetime | None = None
) -> None:
    """A household announced as casework does (household-changed, then an open-ended dibao entitlement)."""
    when = at or datetime(2026, 1, 1, tzinfo=UTC)
    await household_changed(broker, household_id, region_code, members, at=when)
    await entitlement(broker, household_id, region_code, tuple(members), at=when)


def new_household_id() -> str:
    return f"hh-{uuid.uuid4()}"
