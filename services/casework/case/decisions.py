"""Carrying a confirmed decision into the registry (DOMAIN.md §3.8, §4): households, entitlements, events.

Approval opens (or extends) a household and pays from the month after; reviews continue, adjust, exit gradually
or stop; a head leaving a multi-member household closes it and opens a linked successor (停旧建新).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.events.base import PersonRef
from libs.contracts.events.casework import (
    CaseDecided,
    CaseOutcome,
    EntitlementStatus,
    HouseholdChange,
    HouseholdChangeKind,
)
from libs.contracts.period import Period
from libs.contracts.programs import Program
from libs.kernel.auth import Principal
from services.casework.case import member_changes, review_dates, review_rules, succession
from services.casework.case.content import CaseContent, Proposal, SealedProposal, proposal_of
from services.casework.case.models import Case
from services.casework.case.recusal import carry_recusals
from services.casework.context import Casework
from services.casework.grants import service as grants
from services.casework.grants.errors import AccountMissing
from services.casework.local_figures.figures import Standards
from services.casework.outcome.rules import gradual_exit_steps
from services.casework.registry import service as registry
from services.casework.registry.models import Entitlement, GradualExitStep, Household
from services.casework.registry.state import load_state


def _proposal(case: Case) -> Proposal:
    proposal = proposal_of(case.proposal)
    # Only a proposed case is confirmed, so a decision always has its proposal.
    assert proposal is not None, f"case {case.id} has no proposal"
    return proposal


async def grant_once(session: AsyncSession, ctx: Casework, case: Case, content: CaseContent, who: Principal) -> None:
    """An approved application for temporary assistance is one payment, not an entitlement (seed 004 二(七)): no
    household is made or changed, nothing is posted, and the person may apply again. An emergency's clock runs from
    its application's acceptance, an ordinary one's from the decision."""
    applicant = content.applicant_id_number
    assert applicant is not None, "an application names its applicant"
    if content.payment_account is None:
        raise AccountMissing("The application names no account to pay the grant into")
    assert case.proposed_amount_fen is not None, "only a proposed case is confirmed"
    await grants.grant_for_case(
        session,
        ctx,
        case_id=case.id,
        region_code=case.region_code,
        applicant=PersonRef(id_number=applicant, name=content.name_of(applicant)),
        family_size=len(content.members),
        amount_fen=case.proposed_amount_fen,
        account=content.payment_account,
        discovered_at=case.opened_at if case.emergency else ctx.now(),
        situation=f"临时救助申请 {case.application_no or case.id}",
        decided_by=who.subject,
    )


async def approve(
    session: AsyncSession,
    ctx: Casework,
    case: Case,
    content: CaseContent,
    standards: Standards,
    start: Period,
) -> Household:
    """A new recipient: the applicant's active household gains the program, or a household is created."""
    proposal = _proposal(case)
    program = Program(case.program)
    applicant = content.applicant_id_number
    assert applicant is not None, "an application names its applicant"
    account = content.payment_account
    review_class = proposal.review_class or review_rules.default_class(standards, program)
    household = await registry.find_active_household_of(session, ctx.hash(applicant))
    changes: list[HouseholdChange] = []
    if household is None:
        members = [member_changes.registry_member(m) for m in content.members]
        head = next((m.id_number for m in members if m.relation == "head"), applicant)
        household = await registry.create_household(
            session,
            ctx,
            region_code=case.region_code,
            members=members,
            head_id_number=head,
            review_class=review_class,
            next_review_date=None,  # set below with its program's (case/review_dates.py)
            account=account,
            close_relative=case.close_relative_declared or case.close_relative_detected,
        )
        changes = [HouseholdChange(kind=HouseholdChangeKind.MEMBER_ADDED, id_number=m.id_number) for m in members]
    elif proposal.review_class is not None:
        household.review_class = proposal.review_class
    case.household_id = household.id
    await carry_recusals(session, from_kind="case", from_id=case.id, household_id=household.id)
    await _pay_proposed(session, ctx, household, case, content.proposal, start)
    # The new program's first visit; the household's other programs keep theirs.
    await review_dates.schedule(session, household, standards, start, reviewed=program)
    await _record(session, ctx, household, program, case, changes, otherwise=f"program {program.value} added")
    return household


async def _pay_proposed(
    session: AsyncSession,
    ctx: Casework,
    household: Household,
    case: Case,
    sealed: SealedProposal | None,
    start: Period,
) -> None:
    """The household's entitlement to the case's program becomes the proposed amount from `start`."""
    await registry.pay_entitlement(
        session,
        ctx,
        household,
        Program(case.program),
        _proposal(case).amount_fen,
        effective_from=str(start),
        case_id=case.id,
        beneficiary_id_number=(sealed or SealedProposal()).beneficiary_id_number,
    )


async def _record(
    session: AsyncSession,
    ctx: Casework,
    household: Household,
    program: Program,
    case: Case,
    changes: list[HouseholdChange],
    *,
    otherwise: str,
) -> None:
    """Version the household and publish the program's new entitlement; `otherwise` tells the change when no member
    was added, removed or closed."""
    changes = changes or [HouseholdChange(kind=HouseholdChangeKind.MEMBER_UPDATED, detail=otherwise)]
    state = await registry.record_version(session, ctx, household, changes, case_id=case.id)
    await registry.publish_program(session, ctx, household, state, program)
    if any(c.kind is HouseholdChangeKind.HEAD_CHANGED for c in changes):
        # The head is the payee of every program without a beneficiary of its own: each names the new one.
        for other in state.programs():
            if other != program:
                await registry.publish_program(session, ctx, household, state, Program(other))


async def _entitlement(session: AsyncSession, household: Household, program: Program) -> Entitlement | None:
    stmt = select(Entitlement).where(Entitlement.household_id == household.id, Entitlement.program == program)
    return (await session.scalars(stmt)).first()


async def review(
    session: AsyncSession,
    ctx: Casework,
    case: Case,
    sealed_part: SealedProposal | None,
    standards: Standards,
    start: Period,
) -> None:
    """Apply a review outcome (seed 000 §4) to the household under review."""
    assert case.household_id is not None
    household = await session.get(Household, case.household_id, with_for_update=True)
    assert household is not None
    proposal = _proposal(case)
    outcome = CaseOutcome(case.outcome or proposal.outcome)
    program = Program(case.program)
    household.review_class = proposal.review_class or household.review_class
    # The review looked at the household as a whole: every visited program moves on by its rule (a stop or an exit
    # below clears that program's date again).
    await review_dates.schedule(session, household, standards, start, whole_household=True)
    sealed = sealed_part or SealedProposal()  # a review decided without a sealed part of its own
    leaving: dict[str, str] = {m.id_number: m.reason for m in sealed.members_removed}
    if outcome is CaseOutcome.CONTINUED:
        await registry.record_version(session, ctx, household, [], case_id=case.id)
        return
    if outcome is CaseOutcome.STOPPED:
        await _stop(session, ctx, household, case, start, leaving)
        return
    if outcome is CaseOutcome.GRADUAL_EXIT:
        await _gradual_exit(session, ctx, household, case, start, standards)
        return
    # ADJUSTED: members leave (a head leaving closes the household and opens a successor) or join, the head may
    # change, the amount changes.
    before = await load_state(session, ctx, household)
    staying = [m for m in before.members if m.id_number not in leaving]
    head_leaving = before.head_id_number in leaving and bool(staying or sealed.members_added)
    if head_leaving:
        await succession.succeed(session, ctx, household, before, leaving, program, start, case, sealed)
        return
    changes = [
        HouseholdChange(kind=HouseholdChangeKind.MEMBER_REMOVED, id_number=i, detail=leaving[i])
        for i in await registry.remove_members(session, ctx, household, leaving)
    ]
    changes += await member_changes.apply(session, ctx, household, before.head_id_number, sealed)
    await _pay_proposed(session, ctx, household, case, sealed, start)
    await _record(session, ctx, household, program, case, changes, otherwise=f"{program.value} amount adjusted")


async def _stop(
    session: AsyncSession, ctx: Casework, household: Household, case: Case, start: Period, leaving: dict[str, str]
) -> None:
    program = Program(case.program)
    removed = await registry.remove_members(session, ctx, household, leaving) if leaving else []
    await registry.stop_entitlement(session, ctx, household, program, effective_from=str(start), case_id=case.id)
    changes = [
        HouseholdChange(kind=HouseholdChangeKind.MEMBER_REMOVED, id_number=i, detail=leaving[i]) for i in removed
    ]
    others = (
        await session.scalars(
            select(Entitlement.id).where(
                Entitlement.household_id == household.id,
                Entitlement.program != program,
                Entitlement.status != EntitlementStatus.STOPPED,
            )
        )
    ).first()
    if others is None:
        await registry.close(session, ctx, household, "; ".join(case.reasons) or "stopped")
        changes.append(HouseholdChange(kind=HouseholdChangeKind.CLOSED, detail="; ".join(case.reasons)))
    await review_dates.refresh_from_rows(session, household)
    await _record(session, ctx, household, program, case, changes, otherwise=f"{program.value} stopped")


async def _gradual_exit(
    session: AsyncSession, ctx: Casework, household: Household, case: Case, start: Period, standards: Standards
) -> None:
    """渐退 (seed 004 §5): the last amount continues on the region's schedule, then stops."""
    program = Program(case.program)
    current = await _entitlement(session, household, program)
    last_amount = current.monthly_amount_fen if current is not None else 0
    steps, stop_month = gradual_exit_steps(last_amount, start, standards.gradual_exit_schedule_pct)
    schedule = [
        GradualExitStep(first=str(s.first), last=str(s.last), percent=s.percent, amount_fen=s.amount_fen) for s in steps
    ]
    await registry.set_entitlement(
        session,
        ctx,
        household,
        program=program,
        status=EntitlementStatus.GRADUAL_EXIT,
        monthly_amount_fen=steps[0].amount_fen if steps else 0,
        effective_from=str(start),
        effective_to=str(stop_month - 1),
        schedule=schedule,
        case_id=case.id,
    )
    # The exit ends by itself (case/exits.py): no visit of it falls due while it runs out; the others' stay.
    await review_dates.refresh_from_rows(session, household)
    changes = [HouseholdChange(kind=HouseholdChangeKind.MEMBER_UPDATED, detail=f"{program.value} gradual exit")]
    state = await registry.record_version(session, ctx, household, changes, case_id=case.id)
    ent = next(e for e in state.entitlements if e.program == program)
    # Each step of the exit, then the stop, as successive `entitlement-changed` events: a later event overrides the
    # months it covers (libs.contracts.entitlements.MonthOverlay), so consumers see the steps and then nothing.
    pieces = [
        registry.Step(effective_from=str(s.first), effective_to=str(s.last), amount_fen=s.amount_fen) for s in steps
    ]
    pieces.append(
        registry.Step(effective_from=str(stop_month), effective_to=None, amount_fen=0, status=EntitlementStatus.STOPPED)
    )
    for piece in pieces:
        await registry.publish_entitlement(session, ctx, household, state, ent, **piece)


async def publish_decided(
    session: AsyncSession,
    ctx: Casework,
    case: Case,
    outcome: CaseOutcome,
    reasons: tuple[str, ...],
    effective_month: str | None,
) -> None:
    """`case-decided`, once the registry carries the outcome (a decision's, or an appeal's that overturns one)."""
    await ctx.publish(
        session,
        CaseDecided(
            case_id=case.id,
            application_id=case.application_id,
            household_id=case.household_id,
            program=Program(case.program),
            outcome=outcome,
            reasons=reasons,
            effective_month=effective_month,
            decided_at=ctx.now(),
        ),
        subject=f"case/{case.id}",
        key=case.household_id or case.id,
    )
