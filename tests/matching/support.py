"""Matching in process against the session's real database: feeds uploaded through the API, events delivered to
the real consumers (twice, as a redelivery would), the worker's jobs run by hand, and builders for the watch list.

Every test works in a county of its own under the fictional province 65, and with identity numbers no other test
uses, so tests never see each other's households, hits or deaths.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any

import httpx
from fastapi import FastAPI

from libs.contracts.events.base import EventPayload, MemberRef, PersonRef
from libs.contracts.events.casework import (
    CaseDecided,
    CaseOutcome,
    EntitlementChanged,
    EntitlementStatus,
    HouseholdChange,
    HouseholdChanged,
    HouseholdChangeKind,
    HouseholdSnapshot,
)
from libs.contracts.events.intake import ApplicationSubmitted, CloseRelativeDeclaration, DeclaredObligor
from libs.contracts.programs import Program
from libs.contracts.staff import Scope
from libs.kernel.auth import Principal
from libs.kernel.events import CloudEvent, new_event
from libs.kernel.service import Runtime
from services.matching.context import Matching
from services.matching.db import tables
from services.matching.definition import DEFINITION as MATCHING
from services.matching.runs.processing import process_next_feed, run_schedules
from tests.support import principals
from tests.support.delivery import Consumers, outbox_events
from tests.support.id_numbers import fresh_id_65 as fresh_id
from tests.support.principals import staff
from tests.support.regions import new_county, new_village
from tests.support.service_api import Clock, ServiceApi

# Shared with the other suites; re-exported so matching's tests import one module.
__all__ = ["Clock", "fresh_id", "new_county", "new_village", "staff"]


def feeder(region: str = "65") -> Principal:
    return principals.client(Scope.registry_feed, region)


# The registry data exchange of the tests (a feed is read back by the client that sent it).
PROVIDER = feeder()


@dataclass
class MatchingApi(ServiceApi):
    app: FastAPI | None = None

    @property
    def runtime(self) -> Runtime:
        assert self.app is not None
        runtime = self.app.state.runtime
        assert isinstance(runtime, Runtime)
        return runtime

    @property
    def ctx(self) -> Matching:
        """The API process's one context (a fixed clock, and any settings `use_settings` gave it)."""
        ctx = self.runtime.context
        assert isinstance(ctx, Matching)
        return ctx

    def use_settings(self, **overrides: Any) -> None:
        """Run the rest of the test with these matching settings (the API and the jobs run by hand alike)."""
        self.runtime.context = replace(self.ctx, settings=self.ctx.settings.with_overrides(**overrides))

    async def upload(
        self,
        source: str,
        body: bytes | str,
        *,
        as_of: str | None = "2026-11-20",
        content_type: str = "text/csv",
        principal: Principal | None = None,
    ) -> httpx.Response:
        data = body.encode() if isinstance(body, str) else body
        params = {"source": source, **({"as_of": as_of} if as_of else {})}
        headers = {**self.as_(principal or PROVIDER), "content-type": content_type}
        return await self.http.post("/api/v1/matching/feeds", params=params, content=data, headers=headers)

    async def run_worker(self) -> None:
        """What the worker does on its next ticks: every loaded feed matched, then due schedules."""
        while True:
            async with self.db.sessions.begin() as session:
                if not await process_next_feed(session, self.ctx):
                    break

    async def run_schedules(self) -> int:
        async with self.db.sessions.begin() as session:
            return await run_schedules(session, self.ctx)

    async def load(self, source: str, body: str, **kwargs: Any) -> dict[str, Any]:
        """Upload a feed and run the worker; the feed as it is when done."""
        reply = await self.upload(source, body, **kwargs)
        assert reply.status_code == 202, reply.text
        await self.run_worker()
        status = await self.get(
            f"/api/v1/matching/feeds/{reply.json()['feed_id']}", kwargs.get("principal") or PROVIDER
        )
        result: dict[str, Any] = status.json()
        return result

    async def outbox_events(self, event_type: str | None = None) -> list[CloudEvent]:
        return await outbox_events(self.db, tables, event_type=event_type)


class Broker:
    """Delivers events to matching's real consumers, as the broker would after a redelivery: same id, later offset."""

    def __init__(self, api: MatchingApi) -> None:
        settings = MATCHING.settings()
        self.consumers = Consumers(api.db, tables, settings, MATCHING.subscriptions(api.runtime))

    async def deliver(self, payload: EventPayload, subject: str = "test", times: int = 2) -> CloudEvent:
        event = new_event(payload.event_type, source="casework", subject=subject, data=payload)
        await self.consumers.deliver(event, times)
        return event


def member(id_number: str, name: str = "张三丰", relation: str = "head") -> MemberRef:
    return MemberRef(id_number=id_number, name=name, relation=relation)


@dataclass
class Household:
    household_id: str
    region_code: str
    members: tuple[MemberRef, ...]


async def recipient_household(
    broker: Broker,
    members: list[MemberRef] | None = None,
    *,
    program: Program = Program.DIBAO,
    region_code: str | None = None,
    effective_from: str = "2026-01",
    at: datetime | None = None,
) -> Household:
    """A household paid under `program` from `effective_from`, as casework announces it (household-changed, then
    entitlement-changed)."""
    household_id = f"hh-{uuid.uuid4()}"
    region = region_code or new_village()
    people = tuple(members or [member(fresh_id())])
    when = at or datetime(2026, 1, 1, tzinfo=UTC)
    await broker.deliver(
        HouseholdChanged(
            household=HouseholdSnapshot(
                household_id=household_id,
                region_code=region,
                head_id_number=people[0].id_number,
                members=people,
                programs=(program,),
            ),
            changes=(HouseholdChange(kind=HouseholdChangeKind.MEMBER_ADDED),),
            changed_at=when,
        ),
        subject=f"household/{household_id}",
    )
    await entitlement(broker, household_id, region, people, program=program, effective_from=effective_from, at=when)
    return Household(household_id, region, people)


async def entitlement(
    broker: Broker,
    household_id: str,
    region_code: str,
    members: tuple[MemberRef, ...],
    *,
    program: Program = Program.DIBAO,
    status: EntitlementStatus = EntitlementStatus.ACTIVE,
    effective_from: str = "2026-01",
    effective_to: str | None = None,
    at: datetime | None = None,
    entitlement_id: str | None = None,
) -> None:
    await broker.deliver(
        EntitlementChanged(
            entitlement_id=entitlement_id or f"{household_id}:{program.value}",
            household_id=household_id,
            region_code=region_code,
            program=program,
            status=status,
            monthly_amount="500.00",
            effective_from=effective_from,
            effective_to=effective_to,
            payee=PersonRef(id_number=members[0].id_number, name=members[0].name),
            bank_account_ref="acct-1",
            members=members,
            changed_at=at or datetime(2026, 1, 1, tzinfo=UTC),
        ),
        subject=f"household/{household_id}",
    )


def application(
    members: list[MemberRef],
    *,
    obligors: list[DeclaredObligor] | None = None,
    program: Program = Program.DIBAO,
    region_code: str | None = None,
) -> ApplicationSubmitted:
    return ApplicationSubmitted(
        application_id=f"app-{uuid.uuid4()}",
        application_no=f"SQ{random.randint(10**8, 10**9)}",
        program=program,
        region_code=region_code or new_village(),
        applicant=members[0],
        members=tuple(members),
        close_relative=CloseRelativeDeclaration(declared=False),
        accepted_at=datetime(2026, 11, 2, 1, 0, tzinfo=UTC),
        due_date=date(2026, 12, 14),
        obligors=tuple(obligors or ()),
    )


def obligor(id_number: str, name: str = "李赡养", relation: str = "son") -> DeclaredObligor:
    return DeclaredObligor(person=PersonRef(id_number=id_number, name=name), relation=relation, support_monthly="0.00")


def decided(application_id: str, household_id: str) -> CaseDecided:
    return CaseDecided(
        case_id=f"case-{uuid.uuid4()}",
        application_id=application_id,
        household_id=household_id,
        program=Program.DIBAO,
        outcome=CaseOutcome.APPROVED,
        effective_month="2026-12",
        decided_at=datetime(2026, 11, 20, tzinfo=UTC),
    )


def csv_feed(header: str, rows: list[str]) -> str:
    return header + "\n" + "".join(row + "\n" for row in rows)
