"""The case state machine (DOMAIN.md §3–§4) as pure rules: which action may move a case from which status.

    awaiting_verification ─verification─► investigating ─investigation─► township_review ─propose─┐
          (new applications)                   ▲   ▲                                              │
                                               │   └────────── object (during publicity) ◄── publicity ◄┘ (approvals)
                                               └─ return ◄── confirmation ◄── end of publicity / other proposals
                                                               └─confirm / reject─► decided
    any open status ─withdraw─► cancelled

Reviews (periodic and triggered) start at `investigating`: the household is known and verified already.

The simplified review of an annual campaign (seed 001 三(五), issue 21) changes one arrow: in a simplified campaign a
proposal to continue (nothing changed) goes to `publicity` too, the confirmation posting (确认一榜公示) listing the
continuing households, then to the county's confirmation as an approval does. Every other outcome of such a review
goes straight to confirmation, as reviews do (`next_status(..., confirmation_posting=True)`).
"""

from __future__ import annotations

from enum import StrEnum

from libs.contracts.events.casework import CaseOutcome
from services.casework.case.errors import InvalidStatus


class CaseStatus(StrEnum):
    AWAITING_VERIFICATION = "awaiting_verification"
    INVESTIGATING = "investigating"
    TOWNSHIP_REVIEW = "township_review"
    PUBLICITY = "publicity"
    CONFIRMATION = "confirmation"
    DECIDED = "decided"
    CANCELLED = "cancelled"


class CaseKind(StrEnum):
    APPLICATION = "application"
    PERIODIC = "periodic"
    TRIGGERED = "triggered"


class Trigger(StrEnum):
    """What opened a case; with the trigger's own reference it identifies the case (one case per trigger)."""

    APPLICATION = "application"
    PERIODIC = "periodic"
    DEATH = "death"
    HIT = "hit"
    COMPLAINT = "complaint"
    PROVINCE_WARNING = "province_warning"
    PAYMENT_FAILED = "payment_failed"
    OVERPAYMENT = "overpayment"
    VILLAGE_REPORT = "village_report"
    # A birthday that ends a children's allowance or reaches an elderly allowance's age (issue 21).
    AGE = "age"
    # A county's annual review campaign (年度复核, seed 001 三(五)): a periodic review due at the window's end.
    CAMPAIGN = "campaign"


class Action(StrEnum):
    VERIFY = "verification_completed"
    INVESTIGATE = "investigation_recorded"
    PROPOSE = "proposed"
    OBJECT = "objection_raised"
    END_PUBLICITY = "publicity_ended"
    RETURN = "returned"
    CONFIRM = "confirmed"
    REJECT = "rejected"
    WITHDRAW = "withdrawn"


OPEN_STATUSES: frozenset[CaseStatus] = frozenset(CaseStatus) - {CaseStatus.DECIDED, CaseStatus.CANCELLED}

_FROM: dict[Action, frozenset[CaseStatus]] = {
    Action.VERIFY: frozenset({CaseStatus.AWAITING_VERIFICATION}),
    Action.INVESTIGATE: frozenset({CaseStatus.INVESTIGATING}),
    Action.PROPOSE: frozenset({CaseStatus.TOWNSHIP_REVIEW}),
    Action.OBJECT: frozenset({CaseStatus.PUBLICITY}),
    Action.END_PUBLICITY: frozenset({CaseStatus.PUBLICITY}),
    Action.RETURN: frozenset({CaseStatus.TOWNSHIP_REVIEW, CaseStatus.CONFIRMATION}),
    Action.CONFIRM: frozenset({CaseStatus.CONFIRMATION}),
    Action.REJECT: frozenset({CaseStatus.CONFIRMATION}),
    Action.WITHDRAW: OPEN_STATUSES,
}

# New applications end approved or rejected; reviews in one of the four outcomes of seed 000 §4.
APPLICATION_OUTCOMES = frozenset({CaseOutcome.APPROVED, CaseOutcome.REJECTED})
REVIEW_OUTCOMES = frozenset(
    {CaseOutcome.CONTINUED, CaseOutcome.ADJUSTED, CaseOutcome.GRADUAL_EXIT, CaseOutcome.STOPPED}
)
# Outcomes that need a written reason (DOMAIN.md §3.8, §4: a rejection, a stop or a reduction).
REASONED_OUTCOMES = frozenset(
    {CaseOutcome.REJECTED, CaseOutcome.STOPPED, CaseOutcome.GRADUAL_EXIT, CaseOutcome.ADJUSTED}
)
# Only an approval is posted in the village before confirmation (公示, DOMAIN.md §3.7).
PUBLICISED_OUTCOMES = frozenset({CaseOutcome.APPROVED})
# In a simplified campaign a continuing household is posted for confirmation (一榜公示, seed 001 三(五)).
CONFIRMATION_POSTED_OUTCOMES = frozenset({CaseOutcome.CONTINUED})

# Reviews have no application clock; they get the same 30 working days a new application gets (seed 001 §4).
REVIEW_WORKING_DAYS = 30


def next_status(
    action: Action,
    current: CaseStatus,
    *,
    outcome: CaseOutcome | None = None,
    publicity: bool = True,
    confirmation_posting: bool = False,
) -> CaseStatus:
    """The status after `action`, or 409 `invalid_status` naming the status the case is in. `publicity` False is
    the shortened procedure of temporary assistance: an approval goes to confirmation without a posting.
    `confirmation_posting` is a review of a simplified campaign: continuing is posted (一榜公示) before confirmation."""
    if current not in _FROM[action]:
        raise InvalidStatus(
            f"A case in status {current.value} cannot be {action.value.replace('_', ' ')}",
            status_now=current.value,
        )
    match action:
        case Action.VERIFY | Action.OBJECT | Action.RETURN:
            return CaseStatus.INVESTIGATING
        case Action.INVESTIGATE:
            return CaseStatus.TOWNSHIP_REVIEW
        case Action.PROPOSE:
            posted = publicity and outcome in PUBLICISED_OUTCOMES
            posted = posted or (confirmation_posting and outcome in CONFIRMATION_POSTED_OUTCOMES)
            return CaseStatus.PUBLICITY if posted else CaseStatus.CONFIRMATION
        case Action.END_PUBLICITY:
            return CaseStatus.CONFIRMATION
        case Action.CONFIRM | Action.REJECT:
            return CaseStatus.DECIDED
        case Action.WITHDRAW:
            return CaseStatus.CANCELLED
    raise AssertionError(action)  # pragma: no cover


def first_status(kind: CaseKind, *, verified: bool = False) -> CaseStatus:
    """New applications wait for matching's verification report (逢进必核, §3.4) unless it came first."""
    if kind is CaseKind.APPLICATION and not verified:
        return CaseStatus.AWAITING_VERIFICATION
    return CaseStatus.INVESTIGATING


def outcome_violations(kind: CaseKind, outcome: CaseOutcome, reasons: tuple[str, ...]) -> list[tuple[str, str, str]]:
    """(field, code, message) for a proposed outcome that does not fit the case."""
    out: list[tuple[str, str, str]] = []
    allowed = APPLICATION_OUTCOMES if kind is CaseKind.APPLICATION else REVIEW_OUTCOMES
    if outcome not in allowed:
        names = ", ".join(sorted(o.value for o in allowed))
        out.append(("outcome", "outcome_not_allowed", f"A {kind.value} case ends in one of: {names}"))
    if outcome in REASONED_OUTCOMES and not any(r.strip() for r in reasons):
        out.append(("reasons", "reason_required", f"A decision to {outcome.value} needs a written reason"))
    return out
