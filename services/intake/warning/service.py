"""A provincial monitoring warning (CONTRACTS.md §4, DOMAIN.md §8): a review for a current recipient, otherwise a
lead for the township. Idempotent on `warning_id`: the same warning again gets the same answer, a different warning
under a used id is a conflict, and either way nothing new is created.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.events.base import PersonRef
from libs.contracts.events.intake import ReviewReason, ReviewRequested
from libs.kernel import receipts
from libs.kernel.auth import Principal, ensure_jurisdiction
from libs.kernel.presenters import from_row
from services.intake.context import Intake
from services.intake.lead import service as lead_service
from services.intake.lead.schemas import Contact, LeadKind, LeadSource
from services.intake.recipients.handlers import household_of
from services.intake.warning.errors import WarningIdReused
from services.intake.warning.models import ProvinceWarning
from services.intake.warning.schemas import WarningAccepted, WarningIn

_LEAD_KIND = {reason: LeadKind(reason.value) for reason in ReviewReason}


async def receive(
    session: AsyncSession, ctx: Intake, client: Principal, body: WarningIn
) -> tuple[WarningAccepted, bool]:
    """The answer, and whether this call created it (False: a repeat of the same warning)."""
    ensure_jurisdiction(client, body.region_code)
    digest = receipts.request_hash(body, "raised_at")
    row = await receipts.receipt_for(
        session,
        ProvinceWarning,
        {"warning_id": body.warning_id},
        client=client.subject,
        request_hash=digest,
        kind=body.kind.value,
        region_code=body.region_code,
        outcome="pending",
        response={},
        received_at=ctx.now(),
    )
    if row.outcome != "pending":
        reused = WarningIdReused(f"Warning {body.warning_id} was already received with other content")
        # One id for every client: another client's warning under it is a reused id too.
        if row.client != client.subject:
            raise reused
        return receipts.original_answer(row, digest, WarningAccepted, reused), False
    # Only households inside the client's jurisdiction count: a warning must not reveal one outside it.
    household = await household_of(session, ctx, body.person.id_number, client.region_prefix)
    if household is not None:
        answer = await _request_review(session, ctx, body, household.household_id, household.region_code)
    else:
        lead = await lead_service.create(
            session,
            ctx,
            lead_service.NewLead(
                source=LeadSource.PROVINCE_WARNING,
                source_ref=body.warning_id,
                region_code=body.region_code,
                kind=_LEAD_KIND[body.kind],
                contact=from_row(Contact, body.person),
                detail=body.detail,
                created_by=client.subject,
            ),
        )
        answer = WarningAccepted(warning_id=body.warning_id, outcome="lead", lead_id=lead.id)
    row.outcome = answer.outcome
    return receipts.keep_answer(row, answer), True


async def _request_review(
    session: AsyncSession, ctx: Intake, body: WarningIn, household_id: str, region_code: str
) -> WarningAccepted:
    case_id = str(uuid.uuid4())
    payload = ReviewRequested(
        case_id=case_id,
        household_id=household_id,
        region_code=region_code,
        person=from_row(PersonRef, body.person),
        reason=body.kind,
        detail=body.detail,
        source="province_warning",
        source_ref=body.warning_id,
        raised_at=body.raised_at,
    )
    await ctx.publish(session, payload, subject=f"household/{household_id}", key=household_id)
    return WarningAccepted(warning_id=body.warning_id, outcome="review", case_id=case_id, household_id=household_id)
