"""A case's calculation, and a review's outcome held to the rule (outcome/allowed.py) when proposed and confirmed.

The proposal and the county's confirmation both recalculate from the case as it stands (the latest investigation,
the members leaving, the standards in force) and refuse an outcome the recalculation does not allow, with 422
`outcome_against_rule`, the rule's reason and the suggested outcome.
"""

from __future__ import annotations

import datetime as dt
from typing import TypedDict

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.events.casework import CaseOutcome
from libs.contracts.money import Money
from libs.contracts.programs import Program
from services.casework.benefit.rules import Calculation, MissingStandard, calculate
from services.casework.case import content as case_content
from services.casework.case import member_changes
from services.casework.case.content import CaseContent, SealedProposal, proposal_of
from services.casework.case.errors import OutcomeAgainstRule, StandardMissing
from services.casework.case.models import Case
from services.casework.case.rules import CaseKind, Trigger
from services.casework.case.schemas import InvestigationIn, ProposalIn
from services.casework.context import Casework
from services.casework.local_figures.figures import Standards
from services.casework.outcome.allowed import Suggestion, refusal
from services.casework.outcome.rules import ReviewOutcome, suggest_review_outcome
from services.casework.registry.models import Entitlement


def calculation(
    content: CaseContent,
    investigation: InvestigationIn | None,
    case: Case,
    standards: Standards,
    today: dt.date,
    *,
    leaving: frozenset[str] = frozenset(),
    beneficiary_id_number: str | None = None,
    one_off_fen: int | None = None,
) -> Calculation:
    facts = case_content.benefit_input(
        content,
        investigation,
        Program(case.program),
        leaving=leaving,
        beneficiary_id_number=beneficiary_id_number,
        one_off_fen=one_off_fen,
    )
    try:
        return calculate(facts, standards, today)
    except MissingStandard as e:
        raise StandardMissing(
            f"The local figure {e.figure} is not set for {case.region_code}; the county sets it first",
            figure=e.figure,
        ) from None


def proposed_calculation(
    content: CaseContent,
    investigation: InvestigationIn | None,
    case: Case,
    standards: Standards,
    today: dt.date,
    proposal: ProposalIn | SealedProposal,
    *,
    one_off_fen: int | None = None,
) -> Calculation:
    """The calculation a proposal stands on: without the members it removes, paying the beneficiary it names."""
    return calculation(
        content,
        investigation,
        case,
        standards,
        today,
        leaving=_leaving(proposal),
        beneficiary_id_number=proposal.beneficiary_id_number,
        one_off_fen=one_off_fen,
    )


def _leaving(proposal: ProposalIn | SealedProposal) -> frozenset[str]:
    return frozenset(m.id_number for m in proposal.members_removed)


async def current_amount(session: AsyncSession, case: Case) -> int:
    if case.household_id is None:
        return 0
    stmt = select(Entitlement.monthly_amount_fen).where(
        Entitlement.household_id == case.household_id, Entitlement.program == case.program
    )
    return int((await session.scalar(stmt)) or 0)


def employment_gain(content: CaseContent, investigation: InvestigationIn | None) -> bool:
    """A member the investigators found working who was not working when the household was last recorded: the
    ground for a gradual exit above 1.5× the standard (seed 004 二(五))."""
    before = {m.id_number: (m.details.employment if m.details else None) for m in content.members}
    return any(
        f.employed and before.get(f.member_id_number) != "employed"
        for f in (investigation.members if investigation else ())
    )


def suggestion(
    calc: Calculation, current_fen: int, content: CaseContent, investigation: InvestigationIn | None
) -> Suggestion:
    outcome, reason = suggest_review_outcome(calc, current_fen, employment_gain(content, investigation))
    return Suggestion(outcome, reason)


def recalculate(
    content: CaseContent,
    investigation: InvestigationIn | None,
    case: Case,
    body: ProposalIn,
    standards: Standards,
    today: dt.date,
    current: int,
) -> tuple[Calculation | None, Suggestion | None]:
    """The calculation a proposal rests on and, for a review, the outcome it suggests.

    An approval, an adjustment and a continuation always calculate (an unset figure is 409); a review's exit or stop
    calculates to be held to the rule, except when no one stays or the stop names a ground of its own and a figure
    is missing (a death is recorded whatever the standards say); an application's refusal calculates where it can,
    so its lines show the grounds.
    """
    is_review = case.kind != CaseKind.APPLICATION
    calculated = body.outcome in (CaseOutcome.APPROVED, CaseOutcome.ADJUSTED, CaseOutcome.CONTINUED)
    if not calculated and is_review and _leaving(body) >= set(content.member_ids()):
        return None, None
    one_off_fen = Money.from_str(body.one_off_amount).fen if body.one_off_amount else None
    try:
        calc = proposed_calculation(content, investigation, case, standards, today, body, one_off_fen=one_off_fen)
    except StandardMissing:
        # An application's refusal is shown with its calculation where the figures allow (an asset above the
        # region's limit is a line), and is never held up by a missing figure.
        if calculated or (is_review and body.stop_ground is None):
            raise
        return None, None
    found = suggestion(calc, current, content, investigation) if is_review else None
    return calc, found


class Offered(TypedDict, total=False):
    suggested_outcome: str
    suggested_reason: str


def offered(found: Suggestion | None) -> Offered:
    """The suggestion as a problem's or a proposal's extra fields (none when there is no suggestion)."""
    return {} if found is None else {"suggested_outcome": found.outcome.value, "suggested_reason": found.reason}


def ensure_review_allowed(
    case: Case, outcome: CaseOutcome, found: Suggestion | None, *, stop_ground: bool, members_leave: bool
) -> None:
    """422 `outcome_against_rule` when a review's outcome is not one its recalculation allows.

    No suggestion (every member leaves, or a stop on a named ground whose calculation could not run) lets a stop
    through and nothing else: there is no one left to continue, adjust or exit.
    """
    if case.kind == CaseKind.APPLICATION:
        return
    # A case opened by a death may stop on that ground without naming it again.
    stop_ground = stop_ground or case.trigger == Trigger.DEATH
    if found is None:
        if outcome is CaseOutcome.STOPPED:
            return
        raise OutcomeAgainstRule(
            "复核结论不符合规定：无法依核算确定结论，只能停发",
            errors=[{"loc": ["body", "outcome"], "msg": "only a stop is possible"}],
        )
    why = refusal(ReviewOutcome(outcome.value), found, stop_ground=stop_ground, members_leave=members_leave)
    if why is None:
        return
    raise OutcomeAgainstRule(
        why,
        errors=[{"loc": ["body", "outcome"], "msg": f"the rule suggests {found.outcome.value}"}],
        suggested_outcome=found.outcome.value,
        suggested_reason=found.reason,
    )


async def recheck(
    session: AsyncSession,
    ctx: Casework,
    case: Case,
    investigation: InvestigationIn | None,
    standards: Standards,
    today: dt.date,
) -> None:
    """The county's confirmation of a review holds the proposed outcome to the rule again, as it stands today."""
    proposal = proposal_of(case.proposal)
    if case.kind == CaseKind.APPLICATION or proposal is None:
        return
    sealed = CaseContent.open(ctx, case.content_sealed).proposal or SealedProposal()
    # Joining members count as they did at the proposal (case/member_changes.py).
    content = member_changes.with_joining(CaseContent.open(ctx, case.content_sealed), sealed.members_added)
    leaving = _leaving(sealed)
    changes = bool(leaving or sealed.members_added) or sealed.head_id_number is not None
    found: Suggestion | None = None
    if not leaving >= set(content.member_ids()):
        try:
            calc = proposed_calculation(content, investigation, case, standards, today, sealed)
        except StandardMissing:
            if proposal.stop_ground is None:
                raise
        else:
            found = suggestion(calc, await current_amount(session, case), content, investigation)
    ensure_review_allowed(
        case, proposal.outcome, found, stop_ground=proposal.stop_ground is not None, members_leave=changes
    )
