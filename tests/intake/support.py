"""Intake in process against the session's real database: principals, a settable clock, valid bodies."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import httpx
from sqlalchemy import func, select

from libs.contracts.events.base import MemberRef, PersonRef
from libs.contracts.events.casework import EntitlementChanged, EntitlementStatus
from libs.contracts.programs import Program
from libs.kernel.auth import INTERNAL_HEADER, InternalTokens, Principal
from libs.kernel.db import Database
from libs.kernel.events import CloudEvent
from services.intake.application.models import ApplicationVersion
from services.intake.db import tables
from tests.contracts.factories import fresh_id
from tests.support.delivery import outbox_events
from tests.support.principals import Clock, client, staff

# Shared with casework's tests; re-exported so intake's tests import one module.
__all__ = ["Clock", "client", "fresh_id", "staff"]


def new_village(county: str = "140402") -> str:
    """A 12-digit village code of its own under `county`, so tests never see each other's data."""
    return f"{county}{random.randint(100, 999):03d}{random.randint(100, 999):03d}"


@dataclass
class IntakeApi:
    http: httpx.AsyncClient
    tokens: InternalTokens
    db: Database
    clock: Clock = field(default_factory=Clock)

    def as_(self, principal: Principal) -> dict[str, str]:
        return {INTERNAL_HEADER: self.tokens.sign(principal)}

    async def post(self, path: str, principal: Principal, json: Any = None) -> httpx.Response:
        return await self.http.post(path, json=json, headers=self.as_(principal))

    async def put(self, path: str, principal: Principal, json: Any = None) -> httpx.Response:
        return await self.http.put(path, json=json, headers=self.as_(principal))

    async def get(self, path: str, principal: Principal, params: Any = None) -> httpx.Response:
        return await self.http.get(path, params=params, headers=self.as_(principal))

    async def outbox_events(self, subject: str) -> list[CloudEvent]:
        """Events in intake's outbox about `subject` (e.g. `application/<id>`), oldest first."""
        return await outbox_events(self.db, tables, subject=subject)


def member(id_number: str, name: str, relation: str = "head", **extra: Any) -> dict[str, Any]:
    return {
        "relation": relation,
        "id_number": id_number,
        "name": name,
        "labour_capacity": "partial",
        "employment": "unemployed",
        **extra,
    }


def application_body(
    region_code: str,
    *,
    program: str = "dibao",
    members: list[dict[str, Any]] | None = None,
    **overrides: Any,
) -> dict[str, Any]:
    """A complete, consistent dibao application of three members, ready to submit."""
    if members is None:
        members = [
            member(fresh_id(date(1975, 3, 14)), "王建国"),
            member(fresh_id(date(1978, 6, 2)), "李秀英", "spouse"),
            member(fresh_id(date(2010, 9, 30)), "王小明", "child", labour_capacity="none", employment="student"),
        ]
    head = members[0]["id_number"]
    body: dict[str, Any] = {
        "program": program,
        "region_code": region_code,
        "channel": "counter",
        "applicant_id_number": head,
        "members": members,
        "income": [{"member_id_number": head, "kind": "wages", "amount_12_months": "9600.00"}],
        "expenditure": [{"kind": "medical", "amount_12_months": "3000.00"}],
        "assets": [{"kind": "house", "member_id_number": head, "description": "自建房 80㎡"}],
        "obligors": [],
        "bank_account": {"bank_code": "ICBC", "account_no": "6222020000000000000", "holder_id_number": head},
        "declarations": {
            "truthfulness_commitment": True,
            "verification_authorisation": True,
            "close_relative": {"declared": False, "relatives": []},
        },
    }
    body.update(overrides)
    return body


def entitlement_changed(
    household_id: str, region: str, ids: list[str], status: EntitlementStatus, at: datetime, name: str = "吴国强"
) -> EntitlementChanged:
    """Casework's `entitlement-changed` for a dibao household whose first member is the payee."""
    return EntitlementChanged(
        entitlement_id=f"ent-{household_id}",
        household_id=household_id,
        region_code=region,
        program=Program.DIBAO,
        status=status,
        monthly_amount="560.00",
        effective_from="2026-04",
        payee=PersonRef(id_number=ids[0], name=name),
        bank_account_ref=f"acct-{household_id}",
        members=tuple(MemberRef(id_number=i, name=name, relation="head") for i in ids),
        changed_at=at,
    )


async def outbox_rows(api: IntakeApi, app_id: str) -> list[tuple[str, CloudEvent]]:
    """(key, event) of every outbox row about the application, oldest first."""
    t = tables.outbox
    async with api.db.sessions() as s:
        rows = (await s.execute(select(t.c.key, t.c.payload).order_by(t.c.id))).all()
    events = [(key, CloudEvent.from_bytes(payload)) for key, payload in rows]
    return [(k, e) for k, e in events if e.subject == f"application/{app_id}"]


async def version_count(api: IntakeApi, app_id: str) -> int:
    async with api.db.sessions() as s:
        stmt = select(func.count()).select_from(ApplicationVersion).where(ApplicationVersion.application_id == app_id)
        return int((await s.execute(stmt)).scalar_one())
