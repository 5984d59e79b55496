"""What an overturned decision changes in the registry (issue 21), through the paths a decision takes.

An overturned refusal is approved as a confirmation would approve it (case/decisions.py), on the calculation as it
stands today and paid from the month after the appeal's decision. An overturned stop, cut or gradual exit gives the
household back the amount it had before, from the very month the cut took effect: the `entitlement-changed` covers
those months again, and disbursement pays what was missed as arrears.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.events.casework import CaseOutcome, EntitlementStatus, HouseholdChange, HouseholdChangeKind
from libs.contracts.period import Period
from libs.contracts.programs import Program
from services.casework.appeals.errors import DecisionSuperseded
from services.casework.case import decisions, review_dates, review_outcome
from services.casework.case import service as case_service
from services.casework.case.content import CalculationLine, CaseContent, SealedProposal, proposal_of
from services.casework.case.errors import HouseholdEmpty, NotEligible
from services.casework.case.models import Case
from services.casework.ceilings import ensure_monthly
from services.casework.context import Casework
from services.casework.local_figures.figures import Standards
from services.casework.outcome.rules import benefit_start
from services.casework.registry import service as registry
from services.casework.registry.models import Entitlement, Household, HouseholdStatus
from services.casework.registry.state import load_state


async def approve_refused(
    session: AsyncSession, ctx: Casework, case: Case, standards: Standards, today: dt.date
) -> Period:
    """The refused application approved: the amount its calculation gives today; the month payments start."""
    content = CaseContent.open(ctx, case.content_sealed)
    investigation = await case_service.latest_investigation(session, ctx, case.id)
    sealed = content.proposal or SealedProposal()
    calc = review_outcome.calculation(
        content, investigation, case, standards, today, beneficiary_id_number=sealed.beneficiary_id_number
    )
    if not calc.eligible:
        # The refusal was right on the figures as found: overturning it needs a new investigation, not an appeal.
        raise NotEligible(
            "The calculation does not support an approval: " + "; ".join(calc.reasons), reasons=list(calc.reasons)
        )
    amount = ensure_monthly(Program(case.program), calc.monthly_amount_fen, ["body", "outcome"])
    proposal = proposal_of(case.proposal)
    assert proposal is not None, "a refusal is confirmed from a proposal"
    # The case now carries the decision as changed on appeal; the appeal keeps what it was made against.
    approved = proposal.model_copy(update={"outcome": CaseOutcome.APPROVED, "amount_fen": amount, "reasons": ()})
    case.proposal = approved.stored()
    case.proposed_outcome = CaseOutcome.APPROVED.value
    case.proposed_amount_fen = amount
    lines = tuple(CalculationLine(label=x.label, formula=x.formula, amount_fen=x.amount_fen) for x in calc.lines)
    content = content.model_copy(update={"calculation": lines})
    case.content_sealed = content.seal(ctx)
    start = benefit_start(today, standards.benefit_start_offset_months)
    await decisions.approve(session, ctx, case, content, standards, start)
    return start


async def _household_paid(session: AsyncSession, case: Case) -> tuple[Household, Entitlement]:
    """The household the decision cut and its entitlement, still as that decision left it (else 409: a later
    decision, or the end of an exit, changed it and is what stands now)."""
    assert case.household_id is not None, "a review concerns a household"
    household = await session.get(Household, case.household_id, with_for_update=True)
    assert household is not None
    if household.successor_id is not None:
        # The head left with the cut (停旧建新): the program went on in the successor the decision opened.
        successor = await session.get(Household, household.successor_id, with_for_update=True)
        assert successor is not None
        household = successor
    stmt = select(Entitlement).where(Entitlement.household_id == household.id, Entitlement.program == case.program)
    ent = (await session.scalars(stmt)).first()
    # Every decision writes its case on the entitlement; the end of an exit (case/exits.py) keeps the exit's.
    if ent is None or ent.case_id != case.id:
        raise DecisionSuperseded("A later decision changed this entitlement; open a review of the household instead")
    return household, ent


async def restore_cut(session: AsyncSession, ctx: Casework, case: Case, standards: Standards, today: dt.date) -> Period:
    """The stopped, reduced or exiting entitlement back to its amount before the decision, from the month the
    decision took effect; a household the stop closed is open again. The month restored from."""
    household, ent = await _household_paid(session, case)
    proposal = proposal_of(case.proposal)
    assert proposal is not None, "a decided review has its proposal"
    assert case.effective_month is not None, "a decided review takes effect in a month"
    program = Program(case.program)
    state = await load_state(session, ctx, household)
    if not state.members:
        raise HouseholdEmpty("No member is left in the household to pay: open an application instead")
    changes = [HouseholdChange(kind=HouseholdChangeKind.MEMBER_UPDATED, detail=f"{program.value} 复核撤销原决定")]
    if household.status == HouseholdStatus.CLOSED:
        household.status = HouseholdStatus.ACTIVE
        household.closed_at = None
        household.closed_reason = None
    cut = Period.parse(case.effective_month)
    ent.status = EntitlementStatus.ACTIVE
    ent.monthly_amount_fen = proposal.current_amount_fen
    ent.effective_from = str(cut)
    ent.effective_to = None
    ent.schedule = None
    ent.updated_at = ctx.now()
    # The restored program is visited again by its rule (its date was cleared by the stop or exit); the household's
    # other programs keep their dates.
    start = benefit_start(today, standards.benefit_start_offset_months)
    await review_dates.schedule(session, household, standards, start)
    state = await registry.record_version(session, ctx, household, changes, case_id=case.id)
    await registry.publish_program(session, ctx, household, state, program)
    return cut
