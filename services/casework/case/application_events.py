"""Intake's news about an application: submitted (the case opens, and what arrived before it is applied),
withdrawn, a longer deadline. Matching's verification report is in case/verification_report.py.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.events.intake import ApplicationDeadlineExtended, ApplicationSubmitted, ApplicationWithdrawn
from libs.contracts.events.matching import VerificationCompleted
from services.casework.case.held_events import apply_or_hold, held_for
from services.casework.case.history import record
from services.casework.case.models import Case
from services.casework.case.opening import open_application
from services.casework.case.rules import OPEN_STATUSES, Action, CaseStatus, next_status
from services.casework.case.verification_report import apply_verification
from services.casework.context import CONTENT_CONTEXT, Casework


async def submitted(session: AsyncSession, ctx: Casework, e: ApplicationSubmitted) -> None:
    case = await open_application(session, ctx, e)
    if case is None:
        return
    pending = await held_for(session, e.application_id)
    # Verification first: a withdrawal must still find the case in a state it can leave.
    for row in sorted(pending, key=lambda r: r.event_type != VerificationCompleted.event_type):
        data = ctx.open(row.payload_sealed, CONTENT_CONTEXT)
        match row.event_type:
            case VerificationCompleted.event_type:
                await apply_verification(session, ctx, case, VerificationCompleted.model_validate_json(data))
            case ApplicationWithdrawn.event_type:
                await _apply_withdrawal(session, ctx, case, ApplicationWithdrawn.model_validate_json(data))
            case ApplicationDeadlineExtended.event_type:
                await _apply_extension(session, ctx, case, ApplicationDeadlineExtended.model_validate_json(data))
        await session.delete(row)


async def withdrawn(session: AsyncSession, ctx: Casework, e: ApplicationWithdrawn) -> None:
    await apply_or_hold(session, ctx, e.application_id, e, _apply_withdrawal)


async def _apply_withdrawal(session: AsyncSession, ctx: Casework, case: Case, e: ApplicationWithdrawn) -> None:
    if CaseStatus(case.status) not in OPEN_STATUSES:
        # Decided already: the decision stands and the withdrawal is only recorded (intake does the same).
        record(
            session,
            case,
            actor="intake",
            action="withdrawal_after_decision",
            status_from=case.status,
            detail=e.reason,
            at=ctx.now(),
        )
        return
    before = case.status
    case.status = next_status(Action.WITHDRAW, CaseStatus(case.status))
    case.updated_at = ctx.now()
    record(session, case, actor="intake", action=Action.WITHDRAW, status_from=before, detail=e.reason, at=ctx.now())


async def extended(session: AsyncSession, ctx: Casework, e: ApplicationDeadlineExtended) -> None:
    await apply_or_hold(session, ctx, e.application_id, e, _apply_extension)


async def _apply_extension(session: AsyncSession, ctx: Casework, case: Case, e: ApplicationDeadlineExtended) -> None:
    case.due_date = e.due_date
    case.due_date_provisional = e.due_date_provisional
    case.updated_at = ctx.now()
    record(
        session,
        case,
        actor="intake",
        action="deadline_extended",
        status_from=case.status,
        detail=f"{e.due_date}: {e.reason}",
        at=ctx.now(),
    )
