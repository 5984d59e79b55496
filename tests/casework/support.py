"""Casework in process against the session's real database: principals, a settable clock, events as delivered.

`CaseworkApi` calls the API with forwarded principals; `Broker` feeds events to casework's real consumers (inbox,
handler and outbox in one transaction), by default twice, as a redelivery would.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select

from libs.contracts.clock import CHINA_TZ
from libs.contracts.events.base import EventPayload, MemberRef
from libs.contracts.events.intake import (
    BANK_ACCOUNT_SEAL_CONTEXT,
    ApplicationSubmitted,
    CloseRelativeDeclaration,
    DeclaredIncome,
    MemberDetails,
    SealedBankAccount,
)
from libs.contracts.events.matching import FindingOutcome, VerificationCompleted, VerificationFinding
from libs.contracts.programs import Program
from libs.contracts.staff import Scope
from libs.kernel.auth import Principal
from libs.kernel.events import CloudEvent, new_event
from libs.kernel.outbox import Outbox
from libs.kernel.pii import PiiVault
from libs.kernel.service import Runtime
from services.casework.context import Casework
from services.casework.db import tables
from services.casework.definition import DEFINITION as CASEWORK
from tests.support import principals
from tests.support.delivery import Consumers, outbox_events
from tests.support.id_numbers import fresh_id
from tests.support.principals import staff
from tests.support.regions import new_county, new_village
from tests.support.service_api import Clock, ServiceApi

# Shared with the other suites; re-exported so casework's tests import one module.
__all__ = ["Clock", "fresh_id", "new_county", "new_village", "staff"]


def client(scope: Scope, region: str = "65") -> Principal:
    """A partner client of the tests' fictional province 65."""
    return principals.client(scope, region)


@dataclass
class CaseworkApi(ServiceApi):
    # The API's own context (on the same clock), for the worker's jobs run by hand.
    ctx: Casework | None = None

    async def outbox_events(self, subject: str | None = None, event_type: str | None = None) -> list[CloudEvent]:
        """Events in casework's outbox, oldest first, filtered by subject and type."""
        return await outbox_events(self.db, tables, subject=subject, event_type=event_type)


class Broker:
    """Delivers events to casework's real consumers, as the broker would after a redelivery: same id, later offset."""

    def __init__(self, api: CaseworkApi) -> None:
        settings = CASEWORK.settings()
        self.api = api
        self.vault = PiiVault(settings.pii_key.get_secret_value())
        runtime = Runtime(CASEWORK, settings, api.db, Outbox(tables.outbox, settings))
        # The handlers run on the test's clock, like the API.
        runtime.context = replace(runtime.context, clock=api.clock)
        self.consumers = Consumers(api.db, tables, settings, CASEWORK.subscriptions(runtime))

    async def deliver(self, event: CloudEvent, times: int = 2) -> None:
        await self.consumers.deliver(event, times)

    async def dead_letters(self, event: CloudEvent) -> list[str]:
        dead = tables.dead_letters
        async with self.api.db.sessions() as s:
            rows = (await s.scalars(select(dead.c.event_id).where(dead.c.event_id == event.id))).all()
        return [str(r) for r in rows]


def event(payload: EventPayload, subject: str, source: str = "intake") -> CloudEvent:
    return new_event(payload.event_type, source=source, subject=subject, data=payload)


@dataclass(frozen=True)
class Person:
    id_number: str
    name: str
    relation: str
    born: date
    details: dict[str, Any] = field(default_factory=dict)


def family(*, size: int = 3) -> list[Person]:
    """A household of `size`: head, spouse, then children."""
    people = [
        Person(fresh_id(date(1975, 3, 14)), "王建国", "head", date(1975, 3, 14)),
        Person(fresh_id(date(1978, 6, 2)), "李秀英", "spouse", date(1978, 6, 2)),
    ]
    for i in range(size - 2):
        born = date(2010 + i, 9, 30)
        # Names are letters: 王小一, 王小二, … (a digit is refused in a name).
        people.append(
            Person(fresh_id(born), f"王小{'一二三四五六七八九十'[i % 10]}", "child", born, {"labour_capacity": "none"})
        )
    return people[:size]


def application(
    region: str,
    people: list[Person] | None = None,
    *,
    program: Program = Program.DIBAO,
    wages_12_months: str = "9600.00",
    vault: PiiVault | None = None,
    accepted_on: date = date(2026, 3, 2),
    due_date: date = date(2026, 4, 14),
    **overrides: Any,
) -> ApplicationSubmitted:
    """Intake's `application-submitted` for `people` (default: a family of three) in `region`."""
    people = people or family()
    head = people[0]
    vault = vault or PiiVault(CASEWORK.settings().pii_key.get_secret_value())
    payload: dict[str, Any] = {
        "application_id": f"app-{uuid.uuid4()}",
        "application_no": f"SQ{uuid.uuid4().hex[:10].upper()}",
        "program": program,
        "region_code": region,
        "applicant": MemberRef(id_number=head.id_number, name=head.name, relation=head.relation),
        "members": tuple(MemberRef(id_number=p.id_number, name=p.name, relation=p.relation) for p in people),
        "member_details": tuple(
            MemberDetails(
                id_number=p.id_number,
                birth_date=p.born,
                labour_capacity=p.details.get("labour_capacity", "full"),
                employment=p.details.get("employment", "unemployed"),
                disability_kind=p.details.get("disability_kind"),
                disability_grade=p.details.get("disability_grade"),
                serious_illness=p.details.get("serious_illness", False),
            )
            for p in people
        ),
        "declared_income": (
            DeclaredIncome(member_id_number=head.id_number, kind="wages", amount_12_months=wages_12_months),
        )
        if wages_12_months != "0.00"
        else (),
        "close_relative": CloseRelativeDeclaration(declared=False),
        "accepted_at": datetime(accepted_on.year, accepted_on.month, accepted_on.day, 9, tzinfo=CHINA_TZ),
        "due_date": due_date,
        "payment_account": SealedBankAccount(
            bank_code="ICBC",
            holder_name=head.name,
            account_no_masked="6222********0000",
            account_no_sealed=vault.encrypt("6222020000000000000", context=BANK_ACCOUNT_SEAL_CONTEXT),
        ),
    }
    payload.update(overrides)
    return ApplicationSubmitted.model_validate(payload)


async def set_standards(
    api: CaseworkApi, region_prefix: str, effective_from: date = date(2020, 1, 1), **figures: Any
) -> None:
    """Local figures for a test's own county, straight into the table (the admin API has its own tests)."""
    from services.casework.local_figures.models import StandardFigure

    async with api.db.sessions.begin() as s:
        for name, value in figures.items():
            s.add(
                StandardFigure(
                    region_prefix=region_prefix,
                    effective_from=effective_from,
                    name=name,
                    value=list(value) if isinstance(value, tuple) else value,
                    created_by="test",
                    created_at=datetime.now(UTC),
                )
            )


def verification(application_id: str, people: list[Person], *, findings: int = 0) -> VerificationCompleted:
    return VerificationCompleted(
        application_id=application_id,
        verification_id=f"ver-{uuid.uuid4()}",
        findings=tuple(
            VerificationFinding(
                member_id_number=p.id_number,
                source="vehicle" if i < findings else "death",
                outcome=FindingOutcome.FINDING if i < findings else FindingOutcome.CLEAR,
                detail="car 晋D12345" if i < findings else "",
            )
            for i, p in enumerate(people)
        ),
        completed_at=datetime.now(UTC),
    )


def commitment(signed_on: date, *, signed: bool = True) -> dict[str, Any]:
    """The household's 属实承诺书, as a review's investigation carries it (issue 21)."""
    return {"signed": signed, "signed_by": "王建国", "signer_relation": "户主", "signed_on": signed_on.isoformat()}


def investigation_body(visited_on: date, **extra: Any) -> dict[str, Any]:
    """A home investigation by two officers; it carries the household's commitment signed at the visit, which a
    review needs and an application keeps."""
    return {
        "investigators": [{"user": "u-inv-1", "name": "调查员甲"}, {"user": "u-inv-2", "name": "调查员乙"}],
        "visited_on": visited_on.isoformat(),
        "findings": "入户核实，家庭成员与申报一致",
        "neighbour_visits": "走访邻居两户",
        "commitment": commitment(visited_on),
        **extra,
    }
