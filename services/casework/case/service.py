"""Staff actions on a case (DOMAIN.md §3–§4): investigate, propose, object, return, confirm or reject.

Every action locks the case row, checks jurisdiction and recusal, moves the state machine (409 on an illegal
move) and writes history; a confirmation also carries the decision into the registry and publishes it.
"""

from __future__ import annotations

import datetime as dt

import structlog
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.clock import business_date
from libs.contracts.events.casework import CaseOutcome
from libs.contracts.id_number import mask_name
from libs.contracts.money import Money
from libs.contracts.period import Period
from libs.contracts.programs import Program
from libs.contracts.staff import StaffRole
from libs.kernel.auth import Principal
from libs.kernel.lookup import get_within
from services.casework.case import content as case_content
from services.casework.case import deaths, decisions, evaluation, member_changes, review_outcome, simplified
from services.casework.case.commitment import ensure_commitment
from services.casework.case.content import (
    CalculationLine,
    CaseContent,
    ExitStep,
    LeavingMember,
    Proposal,
    SealedProposal,
    proposal_of,
)
from services.casework.case.errors import (
    OUTCOME_PROBLEMS,
    CaseNotFound,
    ConfirmationNotDelegated,
    CountyInvestigationRequired,
    HouseholdEmpty,
    NotAMember,
    NotEligible,
    OutcomeNotAllowed,
    ReasonRequired,
    TwoInvestigatorsRequired,
    VisitInFuture,
)
from services.casework.case.history import record
from services.casework.case.models import Case, CaseInvestigation
from services.casework.case.recusal import ensure_not_recused
from services.casework.case.rules import Action, CaseKind, CaseStatus, next_status, outcome_violations
from services.casework.case.schemas import DecisionIn, InvestigationIn, ObjectionIn, ProposalIn, ReturnIn
from services.casework.ceilings import DECLARED_CEILING_FEN, Loc, above_ceiling, ensure_monthly
from services.casework.context import Casework
from services.casework.local_figures.figures import Standards
from services.casework.local_figures.repository import standards_in_force
from services.casework.outcome.rules import benefit_start, gradual_exit_steps

_log = structlog.get_logger("casework.cases")


async def load_for_action(session: AsyncSession, principal: Principal, case_id: str) -> Case:
    case = await get_within(session, principal, Case, case_id, CaseNotFound(f"No case {case_id}"), lock=True)
    await ensure_not_recused(session, principal, case=case)
    return case


def _move(
    case: Case, action: Action, ctx: Casework, *, outcome: CaseOutcome | None = None, publicity: bool = True
) -> str:
    before = case.status
    case.status = next_status(
        action,
        CaseStatus(case.status),
        outcome=outcome,
        publicity=publicity,
        confirmation_posting=case.simplified_review,
    )
    case.version += 1
    case.updated_at = ctx.now()
    return before


async def investigate(
    session: AsyncSession, ctx: Casework, who: Principal, case_id: str, body: InvestigationIn
) -> Case:
    case = await load_for_action(session, who, case_id)
    # Close-relative cases are investigated in full by the county (DOMAIN.md §3.5, §7).
    if case.county_investigation and not who.has_any_role({StaffRole.county_officer, StaffRole.system_admin}):
        raise CountyInvestigationRequired("This is a close-relative case: the county investigates it")
    names = {i.user for i in body.investigators}
    if len(names) < 2:
        raise TwoInvestigatorsRequired("A home investigation needs two different investigators")
    await ensure_not_recused(session, who, case=case, others=[(i.user, i.name) for i in body.investigators])
    members = set(CaseContent.open(ctx, case.content_sealed).member_ids())
    named = [i.member_id_number for i in body.verified_income] + [m.member_id_number for m in body.members]
    named += [d.member_id_number for d in body.deductions if d.member_id_number]
    strangers = sorted({n for n in named if n not in members})
    if strangers:
        raise NotAMember(
            "The investigation names people who are not members of the household",
            errors=[{"loc": ["body"], "msg": "not a member of the household"} for _ in strangers],
        )
    today = business_date(ctx.now())
    if body.visited_on > today:
        raise VisitInFuture("visited_on is in the future")
    await simplified.ensure_desk_check_allowed(session, case, body)
    ensure_commitment(case, body.commitment, today)
    _ensure_declared_figures(body)
    before = _move(case, Action.INVESTIGATE, ctx)
    rounds = await session.scalar(select(func.count()).where(CaseInvestigation.case_id == case.id))
    session.add(
        CaseInvestigation(
            case_id=case.id,
            round=(rounds or 0) + 1,
            investigators=[f"{i.name} ({i.user})" for i in body.investigators],
            visited_on=body.visited_on,
            by_county=who.has_any_role({StaffRole.county_officer}),
            content_sealed=case_content.seal_investigation(ctx, body),
            recorded_by=who.subject,
            recorded_at=ctx.now(),
        )
    )
    record(session, case, actor=who, action=Action.INVESTIGATE, status_from=before, at=ctx.now())
    return case


def _ensure_declared_figures(body: InvestigationIn) -> None:
    figures: list[tuple[Loc, str]] = [(("body", "obligor_support_monthly"), body.obligor_support_monthly)]
    figures += [
        (("body", "verified_income", i, "amount_12_months"), v.amount_12_months)
        for i, v in enumerate(body.verified_income)
    ]
    figures += [
        (("body", "deductions", i, "amount_12_months"), d.amount_12_months) for i, d in enumerate(body.deductions)
    ]
    beyond = [loc for loc, amount in figures if Money.from_str(amount).fen > DECLARED_CEILING_FEN]
    if beyond:
        raise above_ceiling(f"a figure found is at most {Money.from_fen(DECLARED_CEILING_FEN)}", *beyond)


async def latest_investigation(session: AsyncSession, ctx: Casework, case_id: str) -> InvestigationIn | None:
    stmt = (
        select(CaseInvestigation.content_sealed)
        .where(CaseInvestigation.case_id == case_id)
        .order_by(CaseInvestigation.round.desc())
        .limit(1)
    )
    sealed = (await session.scalars(stmt)).first()
    return None if sealed is None else case_content.open_investigation(ctx, sealed)


async def propose(session: AsyncSession, ctx: Casework, who: Principal, case_id: str, body: ProposalIn) -> Case:
    case = await load_for_action(session, who, case_id)
    kind = CaseKind(case.kind)
    violations = outcome_violations(kind, body.outcome, body.reasons)
    if violations:
        _field, code, message = violations[0]
        raise OUTCOME_PROBLEMS[code](message, errors=[{"loc": ["body", f], "msg": m} for f, _, m in violations])
    if body.stop_ground is not None and body.outcome is not CaseOutcome.STOPPED:
        raise OutcomeNotAllowed(
            "A stop ground goes with a stop only",
            errors=[{"loc": ["body", "stop_ground"], "msg": "only with outcome stopped"}],
        )
    content = CaseContent.open(ctx, case.content_sealed)
    current_ids = content.member_ids()
    if any(m.id_number not in current_ids for m in body.members_removed):
        raise NotAMember("members_removed names someone who is not a member")
    if (
        body.members_removed
        and len(body.members_removed) >= len(current_ids) + len(body.members_added)
        and body.outcome is not CaseOutcome.STOPPED
    ):
        raise HouseholdEmpty("Removing every member stops the household: propose `stopped`")
    await member_changes.check(session, ctx, case, content, body)
    if body.one_off_amount is not None:
        ensure_monthly(Program(case.program), Money.from_str(body.one_off_amount).fen, ["body", "one_off_amount"])
    today = business_date(ctx.now())
    standards = await standards_in_force(session, case.region_code, today)
    if case.status == CaseStatus.TOWNSHIP_REVIEW:  # any other status is the state machine's 409 below
        await evaluation.ensure_evaluated(session, case, standards)
    investigation = await latest_investigation(session, ctx, case.id)
    simplified.ensure_visit_for(investigation, body.outcome)
    current = await review_outcome.current_amount(session, case)
    # Joining members count in the calculation as members do (核增), from the proposal on.
    joined = member_changes.with_joining(content, body.members_added)
    calc, suggestion = review_outcome.recalculate(joined, investigation, case, body, standards, today, current)
    if body.outcome in (CaseOutcome.APPROVED, CaseOutcome.ADJUSTED, CaseOutcome.CONTINUED):
        assert calc is not None  # these outcomes always calculate
        if not calc.eligible:
            raise NotEligible(
                "The calculation does not support this outcome: " + "; ".join(calc.reasons),
                reasons=list(calc.reasons),
                **review_outcome.offered(suggestion),
            )
    leaving = member_changes.changes_members(body)
    has_ground = body.stop_ground is not None
    review_outcome.ensure_review_allowed(case, body.outcome, suggestion, stop_ground=has_ground, members_leave=leaving)
    amount = {
        CaseOutcome.APPROVED: calc.monthly_amount_fen if calc else 0,
        CaseOutcome.ADJUSTED: calc.monthly_amount_fen if calc else 0,
        CaseOutcome.CONTINUED: current,
        CaseOutcome.GRADUAL_EXIT: current,
    }.get(body.outcome, 0)
    # A calculated amount too: standards and member counts that could only come from a typo must not reach a roster.
    ensure_monthly(Program(case.program), amount, ["body", "outcome"])
    proposal = Proposal(
        outcome=body.outcome,
        reasons=body.reasons,
        amount_fen=amount,
        review_class=body.review_class.value if body.review_class else None,
        effective_month=deaths.stop_month(case, content, body.outcome, body.effective_month),
        members_removed=tuple(
            LeavingMember(name_masked=mask_name(content.name_of(m.id_number)), reason=m.reason)
            for m in body.members_removed
        ),
        current_amount_fen=current,
        proposed_by=who.subject,
        proposed_at=ctx.now().isoformat(),
    )
    if suggestion is not None:
        proposal = proposal.model_copy(update=review_outcome.offered(suggestion))
    proposal = proposal.model_copy(update=member_changes.shown_part(body))
    if body.stop_ground is not None:
        proposal = proposal.model_copy(update={"stop_ground": body.stop_ground.value})
    if body.outcome is CaseOutcome.GRADUAL_EXIT:
        steps, stop = gradual_exit_steps(
            current, benefit_start(today, standards.benefit_start_offset_months), standards.gradual_exit_schedule_pct
        )
        schedule = tuple(
            ExitStep(first=str(s.first), last=str(s.last), percent=s.percent, amount_fen=s.amount_fen) for s in steps
        )
        proposal = proposal.model_copy(update={"schedule": schedule, "stop_month": str(stop)})
    # Identity numbers of leavers and the beneficiary stay in the sealed content, never in the clear proposal.
    # The calculation's lines can name health grounds (a disability grade), so they are sealed too (DOMAIN.md §11).
    content = content.model_copy(
        update={
            "calculation": tuple(
                CalculationLine(label=line.label, formula=line.formula, amount_fen=line.amount_fen)
                for line in (calc.lines if calc else ())
            ),
            "proposal": SealedProposal(
                members_removed=body.members_removed, beneficiary_id_number=body.beneficiary_id_number
            ).model_copy(update=member_changes.sealed_part(body)),
        }
    )
    case.content_sealed = content.seal(ctx)
    case.proposal = proposal.stored()
    case.proposed_outcome = body.outcome.value
    case.proposed_amount_fen = amount
    # Temporary assistance is decided with a shortened procedure: no posting unless the region wants one.
    publicity = Program(case.program) is not Program.TEMPORARY or standards.temporary_publicity
    before = _move(case, Action.PROPOSE, ctx, outcome=body.outcome, publicity=publicity)
    if case.status == CaseStatus.PUBLICITY:
        case.publicity_started_on = today
        case.publicity_ends_on = today + dt.timedelta(days=standards.publicity_days)
    detail = f"{body.outcome.value} {Money.from_fen(amount).to_str()}"
    record(session, case, actor=who, action=Action.PROPOSE, status_from=before, detail=detail, at=ctx.now())
    return case


async def object_to(session: AsyncSession, ctx: Casework, who: Principal, case_id: str, body: ObjectionIn) -> Case:
    """An objection during publicity reopens the investigation (DOMAIN.md §3.7)."""
    case = await load_for_action(session, who, case_id)
    before = _move(case, Action.OBJECT, ctx)
    case.publicity_ends_on = None
    record(
        session,
        case,
        actor=who,
        action=Action.OBJECT,
        status_from=before,
        detail=f"{body.raised_by}: {body.summary}",
        at=ctx.now(),
    )
    return case


async def return_case(session: AsyncSession, ctx: Casework, who: Principal, case_id: str, body: ReturnIn) -> Case:
    case = await load_for_action(session, who, case_id)
    before = _move(case, Action.RETURN, ctx)
    record(session, case, actor=who, action=Action.RETURN, status_from=before, detail=body.reason, at=ctx.now())
    return case


async def end_publicity_due(session: AsyncSession, ctx: Casework) -> int:
    """Move cases whose publicity period is over to confirmation (the worker runs this)."""
    today = business_date(ctx.now())
    stmt = (
        select(Case)
        .where(Case.status == CaseStatus.PUBLICITY, Case.publicity_ends_on < today)
        .with_for_update(skip_locked=True)
        .limit(500)
    )
    cases = (await session.scalars(stmt)).all()
    for case in cases:
        before = _move(case, Action.END_PUBLICITY, ctx)
        record(
            session,
            case,
            actor="publicity",
            action=Action.END_PUBLICITY,
            status_from=before,
            detail="no objection",
            at=ctx.now(),
        )
    return len(cases)


async def decide(session: AsyncSession, ctx: Casework, who: Principal, case_id: str, body: DecisionIn) -> Case:
    """Confirmation (审核确认) by the county, or by the township where the county delegated it (per region)."""
    case = await load_for_action(session, who, case_id)
    today = business_date(ctx.now())
    standards = await standards_in_force(session, case.region_code, today)
    county = who.has_any_role({StaffRole.county_officer, StaffRole.system_admin})
    if not county and not (standards.confirmation_delegated and who.has_any_role({StaffRole.township_officer})):
        raise ConfirmationNotDelegated("Only the county confirms decisions here (not delegated to townships)")
    if body.decision == "return":
        before = _move(case, Action.RETURN, ctx)
        record(
            session,
            case,
            actor=who,
            action=Action.RETURN,
            status_from=before,
            detail="; ".join(body.reasons),
            at=ctx.now(),
        )
        return case
    if body.decision == "reject":
        if case.kind != CaseKind.APPLICATION:
            raise OutcomeNotAllowed("Only an application is rejected; a review is decided by its outcome")
        if not any(r.strip() for r in body.reasons):
            raise ReasonRequired("A rejection needs a written reason")
        action = Action.REJECT
        before = _move(case, action, ctx)
        outcome, reasons = CaseOutcome.REJECTED, list(body.reasons)
    else:
        action = Action.CONFIRM
        if case.status == CaseStatus.CONFIRMATION:
            # The standards or the household's figures may have moved since the proposal: the rule holds today.
            investigation = await latest_investigation(session, ctx, case.id)
            await review_outcome.recheck(session, ctx, case, investigation, standards, today)
        before = _move(case, action, ctx)
        # Only a proposed case reaches confirmation, so a proposal is there to confirm.
        assert case.proposed_outcome is not None
        outcome = CaseOutcome(case.proposed_outcome)
        proposed = proposal_of(case.proposal)
        reasons = list(proposed.reasons if proposed else ()) + list(body.reasons)
    case.outcome = outcome.value
    case.reasons = reasons
    case.decided_at = ctx.now()
    case.decided_by = who.subject
    start = _effective_month(case, today, standards)
    content = CaseContent.open(ctx, case.content_sealed)
    if outcome is CaseOutcome.APPROVED and case.program == Program.TEMPORARY:
        await decisions.grant_once(session, ctx, case, content, who)
    elif outcome is CaseOutcome.APPROVED:
        await decisions.approve(session, ctx, case, content, standards, start)
    elif outcome is not CaseOutcome.REJECTED:
        await decisions.review(session, ctx, case, content.proposal, standards, start)
    case.effective_month = None if outcome is CaseOutcome.REJECTED else str(start)
    await decisions.publish_decided(
        session, ctx, case, outcome, tuple(r for r in reasons if r.strip()), case.effective_month
    )
    record(session, case, actor=who, action=action, status_from=before, detail=outcome.value, at=ctx.now())
    _log.info("case.decided", case_id=case.id, outcome=outcome.value)
    return case


def _effective_month(case: Case, today: dt.date, standards: Standards) -> Period:
    """From the month after the decision (DOMAIN.md §3.8, local offset); a stop may name a later month."""
    start = benefit_start(today, standards.benefit_start_offset_months)
    proposal = proposal_of(case.proposal)
    chosen = proposal.effective_month if proposal else None
    if chosen and case.proposed_outcome == CaseOutcome.STOPPED:
        return Period.parse(chosen)
    return start
