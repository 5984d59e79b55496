"""Events intake consumes, each to one use case (one message = one transaction, CONTRACTS.md §6)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.events.casework import CaseDecided
from libs.contracts.events.complaints import HelpRequested
from libs.kernel.consumer import Handler
from libs.kernel.events import CloudEvent
from services.intake.application import service as application_service
from services.intake.context import Intake
from services.intake.lead import service as lead_service
from services.intake.lead.schemas import Contact, LeadKind, LeadSource
from services.intake.recipients import handlers as recipients


def case_decided(ctx: Intake) -> Handler:
    async def handle(session: AsyncSession, event: CloudEvent) -> None:
        await application_service.record_decision(session, ctx, CaseDecided.model_validate(event.data))

    return handle


def help_requested(ctx: Intake) -> Handler:
    """A hotline request for help becomes a lead for the township (DOMAIN.md §6, §8), one per complaint."""

    async def handle(session: AsyncSession, event: CloudEvent) -> None:
        e = HelpRequested.model_validate(event.data)
        contact = Contact(
            name=e.person.name,
            id_number=e.person.id_number,
            phone=e.person.phone,
            address=(e.person.address or "")[:300],
        )
        new = lead_service.NewLead(
            source=LeadSource.HOTLINE,
            source_ref=e.complaint_id,
            region_code=e.region_code,
            kind=LeadKind.HELP_REQUEST,
            contact=contact,
            detail=e.need if e.work_order_no is None else f"[{e.work_order_no}] {e.need}",
            created_by="hotline",
        )
        await lead_service.create(session, ctx, new)

    return handle


def entitlement_changed(ctx: Intake) -> Handler:
    async def handle(session: AsyncSession, event: CloudEvent) -> None:
        await recipients.on_entitlement_changed(session, ctx, event)

    return handle


def household_changed(ctx: Intake) -> Handler:
    async def handle(session: AsyncSession, event: CloudEvent) -> None:
        await recipients.on_household_changed(session, ctx, event)

    return handle
