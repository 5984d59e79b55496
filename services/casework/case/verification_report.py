"""Matching's verification report on an application (`verification-completed`): kept with the case, and the case
moves on to its investigation."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.events.matching import FindingOutcome, VerificationCompleted
from services.casework.case.content import seal_findings
from services.casework.case.held_events import apply_or_hold
from services.casework.case.history import record
from services.casework.case.models import Case, CaseVerification
from services.casework.case.rules import Action, CaseStatus, next_status
from services.casework.context import Casework


async def verified(session: AsyncSession, ctx: Casework, e: VerificationCompleted) -> None:
    await apply_or_hold(session, ctx, e.application_id, e, apply_verification)


async def apply_verification(session: AsyncSession, ctx: Casework, case: Case, e: VerificationCompleted) -> None:
    if await session.get(CaseVerification, e.verification_id) is not None:
        return
    count = sum(1 for f in e.findings if f.outcome is FindingOutcome.FINDING)
    session.add(
        CaseVerification(
            verification_id=e.verification_id,
            case_id=case.id,
            finding_count=count,
            findings_sealed=seal_findings(ctx, e.findings),
            completed_at=e.completed_at,
        )
    )
    if case.status != CaseStatus.AWAITING_VERIFICATION:
        # A second report (a re-run) is kept with the case; the investigation is already under way.
        return
    before = case.status
    case.status = next_status(Action.VERIFY, CaseStatus(case.status))
    case.updated_at = ctx.now()
    record(
        session,
        case,
        actor="matching",
        action=Action.VERIFY,
        status_from=before,
        detail=f"{count} findings",
        at=ctx.now(),
    )
