"""Appeals (复核/申诉, issue 21): filed in time against a refusal, stop or cut; decided by another county officer.

Filing and deciding lock the case row, check jurisdiction and recusal like every action on a case, and write the
case's history. The decision is published as decisions are (`case-decided`, its first reason saying it is an appeal's);
an overturned decision changes the registry through appeals/restore.py.
"""

from __future__ import annotations

import datetime as dt
import uuid

import structlog
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.clock import business_date
from libs.contracts.events.casework import CaseOutcome
from libs.contracts.programs import Program
from libs.kernel.auth import Principal
from libs.kernel.lookup import get_within
from libs.kernel.pagination import keyset_page
from services.casework.appeals import restore
from services.casework.appeals.errors import (
    AppealDecided,
    AppealExists,
    AppealLate,
    AppealNotFound,
    AppealSameOfficer,
    NotAppealable,
)
from services.casework.appeals.models import CaseAppeal
from services.casework.appeals.rules import AppealStatus, Ground, ground_of, is_late, outcome_after, window_ends_on
from services.casework.appeals.schemas import AppealDecisionIn, AppealIn
from services.casework.case.content import proposal_of
from services.casework.case.decisions import publish_decided
from services.casework.case.errors import InvalidStatus
from services.casework.case.history import record
from services.casework.case.rules import CaseStatus
from services.casework.case.service import load_for_action
from services.casework.context import Casework
from services.casework.local_figures.repository import standards_in_force

_log = structlog.get_logger("casework.appeals")

FILED, UPHELD, OVERTURNED = "appeal_filed", "appeal_upheld", "appeal_overturned"
# The first reason of an appeal's `case-decided`: consumers and the household's file tell it from the decision.
APPEAL_REASON = {AppealStatus.UPHELD: "复核（申诉）维持原决定", AppealStatus.OVERTURNED: "复核（申诉）撤销原决定"}


async def file(session: AsyncSession, ctx: Casework, who: Principal, case_id: str, body: AppealIn) -> CaseAppeal:
    case = await load_for_action(session, who, case_id)
    if case.status != CaseStatus.DECIDED:
        raise InvalidStatus(f"Only a decided case is appealed; this one is {case.status}", status_now=case.status)
    if case.program == Program.TEMPORARY:
        # A refused emergency is helped by a new application at once (seed 004 二(七)), not by waiting on an appeal.
        raise NotAppealable("A refusal of temporary assistance is met by a new application, not an appeal")
    proposal = proposal_of(case.proposal)
    outcome = CaseOutcome(case.outcome) if case.outcome else None
    ground = ground_of(outcome, proposal.amount_fen, proposal.current_amount_fen) if proposal else None
    if ground is None or outcome is None or case.decided_at is None or case.decided_by is None:
        raise NotAppealable(
            f"A decision to {case.outcome} took nothing away: only a refusal, stop, cut or gradual exit is appealed"
        )
    existing = await session.scalar(select(CaseAppeal).where(CaseAppeal.case_id == case.id))
    if existing is not None:
        raise AppealExists(
            f"This decision was appealed already ({existing.status})",
            appeal_id=existing.id,
            appeal_status=existing.status,
        )
    decided_on = business_date(case.decided_at)
    # The window the decision's notice announced: the region's figure on the day of the decision.
    days = (await standards_in_force(session, case.region_code, decided_on)).appeal_days
    today = business_date(ctx.now())
    ends = window_ends_on(decided_on, days)
    if is_late(today, decided_on, days):
        raise AppealLate(
            f"The decision of {decided_on} could be appealed until {ends} ({days} days)",
            window_ends_on=ends.isoformat(),
        )
    appeal = CaseAppeal(
        id=f"appeal-{uuid.uuid4()}",
        case_id=case.id,
        region_code=case.region_code,
        household_id=case.household_id,
        program=case.program,
        ground=ground.value,
        against_outcome=outcome.value,
        decided_on=decided_on,
        original_decided_by=case.decided_by,
        original_effective_month=case.effective_month,
        window_ends_on=ends,
        statement=body.statement,
        filed_by=who.subject,
        filed_at=ctx.now(),
        status=AppealStatus.OPEN.value,
        reasons=[],
    )
    session.add(appeal)
    record(session, case, actor=who, action=FILED, status_from=case.status, detail=ground.value, at=ctx.now())
    await session.flush()
    _log.info("appeal.filed", appeal_id=appeal.id, case_id=case.id, ground=ground.value)
    return appeal


async def load(session: AsyncSession, who: Principal, appeal_id: str) -> CaseAppeal:
    return await get_within(session, who, CaseAppeal, appeal_id, AppealNotFound(f"No appeal {appeal_id}"))


async def decide(
    session: AsyncSession, ctx: Casework, who: Principal, appeal_id: str, body: AppealDecisionIn
) -> CaseAppeal:
    """Upheld, or overturned: a refusal becomes an approval, a stop or cut is undone from its first month."""
    appeal = await load(session, who, appeal_id)
    # The case row first, as filing takes it: every change to an appeal is made under its case's lock.
    case = await load_for_action(session, who, appeal.case_id)
    await session.refresh(appeal, with_for_update=True)
    if appeal.status != AppealStatus.OPEN:
        raise AppealDecided(f"The appeal was decided already ({appeal.status})", appeal_status=appeal.status)
    if who.subject == appeal.original_decided_by:
        raise AppealSameOfficer("You made the decision appealed against: another county officer reviews it")
    status = AppealStatus(body.outcome)
    ground = Ground(appeal.ground)
    outcome = outcome_after(ground, status, CaseOutcome(appeal.against_outcome))
    reasons = [APPEAL_REASON[status], *body.reasons]
    effective = appeal.original_effective_month
    if status is AppealStatus.OVERTURNED:
        today = business_date(ctx.now())
        standards = await standards_in_force(session, case.region_code, today)
        if ground is Ground.REFUSAL:
            effective = str(await restore.approve_refused(session, ctx, case, standards, today))
        else:
            effective = str(await restore.restore_cut(session, ctx, case, standards, today))
        case.outcome = outcome.value
        case.reasons = reasons
        case.effective_month = effective
        case.version += 1
        case.updated_at = ctx.now()
    appeal.status = status.value
    appeal.reasons = list(body.reasons)
    appeal.effective_month = effective if status is AppealStatus.OVERTURNED else None
    appeal.household_id = case.household_id
    appeal.decided_by = who.subject
    appeal.decided_at = ctx.now()
    # Upheld, the case row keeps the first decision: the appeal's outcome, reasons and month are named here.
    await publish_decided(session, ctx, case, outcome, tuple(reasons), effective)
    action = UPHELD if status is AppealStatus.UPHELD else OVERTURNED
    record(session, case, actor=who, action=action, status_from=case.status, detail=outcome.value, at=ctx.now())
    _log.info("appeal.decided", appeal_id=appeal.id, case_id=case.id, status=status.value)
    return appeal


async def appeals_in(
    session: AsyncSession,
    prefix: str,
    *,
    status: AppealStatus | None,
    after: tuple[dt.datetime, str] | None,
    limit: int,
) -> list[CaseAppeal]:
    """A region's appeals, the longest waiting first (the county's work list); one row past `limit` for paging."""
    stmt = select(CaseAppeal).where(func.starts_with(CaseAppeal.region_code, prefix))
    if status is not None:
        stmt = stmt.where(CaseAppeal.status == status.value)
    stmt = keyset_page(stmt, (CaseAppeal.filed_at, CaseAppeal.id), after, limit)
    return list((await session.scalars(stmt)).all())
