"""Intake's and matching's news about an application: verification, withdrawal, a longer deadline.

Topics are not ordered with each other, so any of these may arrive before `application-submitted`; such an event
is kept (sealed) and applied when the case opens.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.events.intake import ApplicationDeadlineExtended, ApplicationSubmitted, ApplicationWithdrawn
from libs.contracts.events.matching import FindingOutcome, VerificationCompleted
from services.casework.case.history import record
from services.casework.case.models import Case, CaseVerification, PendingApplicationEvent
from services.casework.case.opening import find, open_application
from services.casework.case.rules import OPEN_STATUSES, Action, CaseStatus, Trigger, next_status
from services.casework.context import CONTENT_CONTEXT, Casework


async def _case_of(session: AsyncSession, application_id: str) -> Case | None:
    case = await find(session, Trigger.APPLICATION, application_id)
    if case is not None:
        await session.refresh(case, with_for_update=True)
    return case


async def _keep(
    session: AsyncSession, ctx: Casework, application_id: str, event_type: str, data: dict[str, Any]
) -> None:
    stmt = pg_insert(PendingApplicationEvent).values(
        application_id=application_id,
        event_type=event_type,
        payload_sealed=ctx.seal_json(data, CONTENT_CONTEXT),
        received_at=ctx.now(),
    )
    await session.execute(stmt.on_conflict_do_nothing())


async def submitted(session: AsyncSession, ctx: Casework, e: ApplicationSubmitted) -> None:
    case = await open_application(session, ctx, e)
    if case is None:
        return
    pending = (
        await session.scalars(
            select(PendingApplicationEvent).where(PendingApplicationEvent.application_id == e.application_id)
        )
    ).all()
    # Verification first: a withdrawal must still find the case in a state it can leave.
    for row in sorted(pending, key=lambda r: r.event_type != VerificationCompleted.event_type):
        data = ctx.unseal_json(row.payload_sealed, CONTENT_CONTEXT)
        match row.event_type:
            case VerificationCompleted.event_type:
                await _apply_verification(session, ctx, case, VerificationCompleted.model_validate(data))
            case ApplicationWithdrawn.event_type:
                _apply_withdrawal(session, ctx, case, ApplicationWithdrawn.model_validate(data))
            case ApplicationDeadlineExtended.event_type:
                _apply_extension(session, ctx, case, ApplicationDeadlineExtended.model_validate(data))
        await session.delete(row)


async def verified(session: AsyncSession, ctx: Casework, e: VerificationCompleted) -> None:
    case = await _case_of(session, e.application_id)
    if case is None:
        await _keep(session, ctx, e.application_id, e.event_type, e.model_dump(mode="json"))
        return
    await _apply_verification(session, ctx, case, e)


async def _apply_verification(session: AsyncSession, ctx: Casework, case: Case, e: VerificationCompleted) -> None:
    if await session.get(CaseVerification, e.verification_id) is not None:
        return
    findings = [f.model_dump(mode="json") for f in e.findings]
    session.add(
        CaseVerification(
            verification_id=e.verification_id,
            case_id=case.id,
            finding_count=sum(1 for f in e.findings if f.outcome is FindingOutcome.FINDING),
            findings_sealed=ctx.seal_json(findings, CONTENT_CONTEXT),
            completed_at=e.completed_at,
        )
    )
    if case.status != CaseStatus.AWAITING_VERIFICATION:
        # A second report (a re-run) is kept with the case; the investigation is already under way.
        return
    before = case.status
    case.status = next_status(Action.VERIFY, CaseStatus(case.status))
    case.updated_at = ctx.now()
    count = sum(1 for f in e.findings if f.outcome is FindingOutcome.FINDING)
    record(
        session,
        case,
        actor="matching",
        action=Action.VERIFY,
        status_from=before,
        detail=f"{count} findings",
        at=ctx.now(),
    )


async def withdrawn(session: AsyncSession, ctx: Casework, e: ApplicationWithdrawn) -> None:
    case = await _case_of(session, e.application_id)
    if case is None:
        await _keep(session, ctx, e.application_id, e.event_type, e.model_dump(mode="json"))
        return
    _apply_withdrawal(session, ctx, case, e)


def _apply_withdrawal(session: AsyncSession, ctx: Casework, case: Case, e: ApplicationWithdrawn) -> None:
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
    case = await _case_of(session, e.application_id)
    if case is None:
        await _keep(session, ctx, e.application_id, e.event_type, e.model_dump(mode="json"))
        return
    _apply_extension(session, ctx, case, e)


def _apply_extension(session: AsyncSession, ctx: Casework, case: Case, e: ApplicationDeadlineExtended) -> None:
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
