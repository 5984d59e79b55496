"""Intake in process against the session's real database: its API, villages of a test's own, valid bodies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from libs.contracts.events.base import MemberRef, PersonRef
from libs.contracts.events.casework import EntitlementChanged, EntitlementStatus
from libs.contracts.programs import Program
from libs.kernel.events import CloudEvent
from services.intake.application.models import ApplicationVersion
from services.intake.db import tables
from tests.support import regions
from tests.support.applications import application_body, member
from tests.support.delivery import outbox_events
from tests.support.id_numbers import fresh_id
from tests.support.principals import client, staff
from tests.support.service_api import Clock, ServiceApi

# Shared with the other suites; re-exported so intake's tests import one module.
__all__ = ["Clock", "application_body", "client", "fresh_id", "member", "staff"]


def new_village(county: str = "140402") -> str:
    """A village of its own, by default in the demo county of Shanxi (intake's tests apply there)."""
    return regions.new_village(county)


@dataclass
class IntakeApi(ServiceApi):
    async def outbox_events(self, subject: str) -> list[CloudEvent]:
        """Events in intake's outbox about `subject` (e.g. `application/<id>`), oldest first."""
        return await outbox_events(self.db, tables, subject=subject)


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
