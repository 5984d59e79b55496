"""Staff API of active-discovery leads: `/api/v1/intake/leads` (DOMAIN.md §8)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query

from libs.contracts.clock import business_date
from libs.kernel.auth import ensure_jurisdiction, jurisdiction_prefix
from libs.kernel.db import DbSession
from libs.kernel.errors import FIELD_ERRORS, documented
from libs.kernel.pagination import DEFAULT_LIMIT, Cursor, Limit, Page, decode_keyset, page_of
from services.intake.context import IntakeCtx
from services.intake.dependencies import Filer, Officer, Reader
from services.intake.lead import service, views
from services.intake.lead.errors import LeadNotFound, LeadNotOpen, ReassignedOutsideLeadRegion
from services.intake.lead.schemas import (
    AssignIn,
    CloseIn,
    LeadKind,
    LeadOut,
    LeadSource,
    LeadStatus,
    LeadSummary,
    ReferralIn,
)
from services.intake.relatives.errors import STAFF_REFUSALS

router = APIRouter(prefix="/api/v1/intake/leads", tags=["leads"])

_ERRORS = documented(*STAFF_REFUSALS, LeadNotFound, LeadNotOpen, ReassignedOutsideLeadRegion, notes=FIELD_ERRORS)


@router.post("", response_model=LeadOut, status_code=201, responses=_ERRORS)
async def refer(body: ReferralIn, session: DbSession, ctx: IntakeCtx, who: Filer) -> LeadOut:
    """A village referral: someone in difficulty found on a home visit (主动发现)."""
    ensure_jurisdiction(who, body.region_code)
    new = service.NewLead(
        source=LeadSource.VILLAGE_REFERRAL,
        source_ref=None,
        region_code=body.region_code,
        kind=body.kind,
        contact=body.person,
        detail=body.detail,
        created_by=who.subject,
    )
    lead = await service.create(session, ctx, new)
    return views.detail(ctx, lead, business_date(ctx.now()))


@router.get("/{lead_id}", response_model=LeadOut, responses=_ERRORS)
async def get_lead(lead_id: str, session: DbSession, ctx: IntakeCtx, who: Reader) -> LeadOut:
    """One lead with the contact details the township needs to reach the person."""
    lead = await service.get(session, who, lead_id)
    return views.detail(ctx, lead, business_date(ctx.now()))


@router.post("/{lead_id}/close", response_model=LeadOut, responses=_ERRORS)
async def close_lead(lead_id: str, body: CloseIn, session: DbSession, ctx: IntakeCtx, who: Officer) -> LeadOut:
    """End a lead without an application, with the reason."""
    lead = await service.close(session, ctx, who, lead_id, body)
    return views.detail(ctx, lead, business_date(ctx.now()))


@router.post("/{lead_id}/assign", response_model=LeadOut, responses=_ERRORS)
async def assign_lead(lead_id: str, body: AssignIn, session: DbSession, ctx: IntakeCtx, who: Officer) -> LeadOut:
    """Give a lead that came in with a county code to the township (or village) it belongs to."""
    lead = await service.assign(session, ctx, who, lead_id, body.region_code)
    return views.detail(ctx, lead, business_date(ctx.now()))


@router.get("", response_model=Page[LeadSummary], responses=_ERRORS)
async def list_leads(
    session: DbSession,
    ctx: IntakeCtx,
    who: Reader,
    status: LeadStatus | None = None,
    kind: LeadKind | None = None,
    source: LeadSource | None = None,
    region_code: Annotated[str | None, Query(pattern=r"^[0-9]{2,12}$")] = None,
    overdue: bool = False,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[LeadSummary]:
    """Leads in your jurisdiction, the earliest due first."""
    today = business_date(ctx.now())
    prefix = jurisdiction_prefix(who, region_code)
    f = service.LeadFilter(prefix, status=status, kind=kind, source=source, overdue_on=today if overdue else None)
    rows = await service.search(session, f, decode_keyset(cursor, tuple[dt.date, str]), limit)
    return page_of(rows, limit, key=lambda r: (r.due_date.isoformat(), r.id), item=lambda r: views.summary(r, today))
