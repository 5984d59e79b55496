"""Use cases of leads: created from a village referral, a hotline help request or a provincial warning; ended by
an application opened for the person or closed with a reason (DOMAIN.md §8). Never commits.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from pydantic import BaseModel
from sqlalchemy import Select, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.clock import business_date
from libs.contracts.events.complaints import HelpRequested
from libs.contracts.id_number import mask_name
from libs.kernel.auth import Principal, ensure_jurisdiction
from libs.kernel.lookup import get_within
from libs.kernel.pagination import keyset_page
from libs.kernel.presenters import from_row
from services.intake.context import Intake
from services.intake.lead.errors import LeadNotFound, LeadNotOpen, ReassignedOutsideLeadRegion, RegionOutsideLeadRegion
from services.intake.lead.models import Lead
from services.intake.lead.schemas import CloseIn, Contact, LeadKind, LeadSource, LeadStatus
from services.intake.local_figures.repository import deadline
from services.intake.relatives.register import ensure_not_registered_relative

# Spelt before `seal_context` existed; the string is bound into every value sealed under it, so it stays.
SEAL_CONTEXT = "intake.leads.contact_sealed"


class SealedContact(BaseModel):
    contact: Contact
    detail: str


@dataclass(frozen=True)
class NewLead:
    source: LeadSource
    source_ref: str | None
    region_code: str
    kind: LeadKind
    contact: Contact
    detail: str
    created_by: str


async def create(session: AsyncSession, ctx: Intake, new: NewLead) -> Lead:
    """A new open lead, due `lead_days` working days after it arrives; a repeat of the same `source_ref` finds the
    lead it made instead (the hotline and the province may send twice)."""
    now = ctx.now()
    if new.source_ref is not None:
        existing = await _by_source(session, new.source, new.source_ref)
        if existing is not None:
            return existing
    day = business_date(now)
    due = await deadline(session, new.region_code, day, lambda f: f.lead_days)
    sealed = SealedContact(contact=new.contact, detail=new.detail).model_dump_json()
    values = {
        "id": str(uuid.uuid4()),
        "source": new.source.value,
        "source_ref": new.source_ref,
        "region_code": new.region_code,
        "kind": new.kind.value,
        "status": LeadStatus.OPEN.value,
        "person_hash": ctx.hash(new.contact.id_number) if new.contact.id_number else None,
        "name_masked": mask_name(new.contact.name),
        "contact_sealed": ctx.seal(sealed, SEAL_CONTEXT),
        "due_date": due.date,
        "due_date_provisional": due.provisional,
        "created_by": new.created_by,
        "created_at": now,
        "updated_at": now,
    }
    # ON CONFLICT: two deliveries racing on the same partner id end as one lead.
    stmt = pg_insert(Lead).values(**values).on_conflict_do_nothing(constraint="uq_leads_source_source_ref")
    await session.execute(stmt)
    lead = (
        await _by_source(session, new.source, new.source_ref)
        if new.source_ref
        else await session.get(Lead, values["id"])
    )
    assert lead is not None
    return lead


async def help_requested(session: AsyncSession, ctx: Intake, e: HelpRequested) -> None:
    """A hotline request for help becomes a lead for the township (DOMAIN.md §6, §8), one per complaint."""
    contact = from_row(Contact, e.person, address=(e.person.address or "")[:300])
    new = NewLead(
        source=LeadSource.HOTLINE,
        source_ref=e.complaint_id,
        region_code=e.region_code,
        kind=LeadKind.HELP_REQUEST,
        contact=contact,
        detail=e.need if e.work_order_no is None else f"[{e.work_order_no}] {e.need}",
        created_by="hotline",
    )
    await create(session, ctx, new)


async def _by_source(session: AsyncSession, source: LeadSource, ref: str | None) -> Lead | None:
    stmt = select(Lead).where(Lead.source == source.value, Lead.source_ref == ref)
    return (await session.execute(stmt)).scalar_one_or_none()


async def _load(session: AsyncSession, principal: Principal, lead_id: str, *, for_update: bool = False) -> Lead:
    return await get_within(session, principal, Lead, lead_id, LeadNotFound(f"No lead {lead_id}"), lock=for_update)


async def _load_to_act(session: AsyncSession, principal: Principal, lead_id: str) -> Lead:
    """The lead, locked, for an action by someone who is not filed as the person's close relative (DOMAIN.md §7)."""
    lead = await _load(session, principal, lead_id, for_update=True)
    if lead.person_hash is not None:
        await ensure_not_registered_relative(session, principal, [lead.person_hash])
    return lead


def _ensure_open(lead: Lead) -> None:
    if lead.status != LeadStatus.OPEN.value:
        raise LeadNotOpen(f"The lead is already {lead.status}", status_now=lead.status)


async def link_application(
    session: AsyncSession, ctx: Intake, principal: Principal, lead_id: str, application_id: str, region_code: str
) -> None:
    """The township opened an application for the lead's person: the lead ends, linked to it."""
    lead = await _load_to_act(session, principal, lead_id)
    _ensure_open(lead)
    if not region_code.startswith(lead.region_code):
        raise RegionOutsideLeadRegion(
            f"The lead belongs to {lead.region_code}; its application must be filed there",
            errors=[{"loc": ["body", "region_code"], "msg": f"not inside {lead.region_code}"}],
        )
    now = ctx.now()
    lead.status = LeadStatus.APPLICATION_OPENED.value
    lead.application_id = application_id
    lead.ended_by, lead.ended_at, lead.updated_at = principal.subject, now, now


async def close(session: AsyncSession, ctx: Intake, principal: Principal, lead_id: str, body: CloseIn) -> Lead:
    lead = await _load_to_act(session, principal, lead_id)
    _ensure_open(lead)
    now = ctx.now()
    lead.status = LeadStatus.CLOSED.value
    lead.closed_reason, lead.closed_note = body.reason.value, body.note
    lead.ended_by, lead.ended_at, lead.updated_at = principal.subject, now, now
    return lead


async def assign(session: AsyncSession, ctx: Intake, principal: Principal, lead_id: str, region_code: str) -> Lead:
    lead = await _load_to_act(session, principal, lead_id)
    _ensure_open(lead)
    ensure_jurisdiction(principal, region_code)
    if not region_code.startswith(lead.region_code):
        raise ReassignedOutsideLeadRegion(f"A lead of {lead.region_code} can only go to a region inside it")
    lead.region_code, lead.updated_at = region_code, ctx.now()
    return lead


async def get(session: AsyncSession, principal: Principal, lead_id: str) -> Lead:
    return await _load(session, principal, lead_id)


@dataclass(frozen=True)
class LeadFilter:
    region_prefix: str
    status: LeadStatus | None = None
    kind: LeadKind | None = None
    source: LeadSource | None = None
    overdue_on: dt.date | None = None


def _filtered(f: LeadFilter) -> Select[Lead]:
    stmt = select(Lead).where(Lead.region_code.startswith(f.region_prefix, autoescape=True))
    for column, wanted in ((Lead.status, f.status), (Lead.kind, f.kind), (Lead.source, f.source)):
        if wanted is not None:
            stmt = stmt.where(column == wanted.value)
    if f.overdue_on is not None:
        stmt = stmt.where(Lead.status == LeadStatus.OPEN.value, Lead.due_date < f.overdue_on)
    return stmt


async def search(session: AsyncSession, f: LeadFilter, after: tuple[dt.date, str] | None, limit: int) -> Sequence[Lead]:
    stmt = keyset_page(_filtered(f), (Lead.due_date, Lead.id), after, limit)
    return (await session.execute(stmt)).scalars().all()
