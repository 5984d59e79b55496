"""Appeals against a decision (复核/申诉, issue 21) as pure rules: which decisions may be appealed, and until when.

A household refused, stopped, cut to a lower amount or put on a gradual exit may ask within the region's
`appeal_days` (calendar days from the day of the decision, DOMAIN.md §3.8 "a written reason, which the applicant can
appeal") for the decision to be reviewed by a county officer who did not make it.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from libs.contracts.events.casework import CaseOutcome


class AppealStatus(StrEnum):
    OPEN = "open"
    UPHELD = "upheld"  # the decision stands
    OVERTURNED = "overturned"  # a refusal becomes an approval; a cut is undone from its first month


class Ground(StrEnum):
    """What the appeal is against."""

    REFUSAL = "refusal"  # an application rejected
    STOP = "stop"  # an entitlement stopped
    REDUCTION = "reduction"  # adjusted to a lower amount
    GRADUAL_EXIT = "gradual_exit"  # 渐退: the payments run out


def ground_of(outcome: CaseOutcome | None, amount_fen: int, before_fen: int) -> Ground | None:
    """The ground an appeal against a decision would have, or None when the decision took nothing away (an approval,
    a continuation, an adjustment upwards or to the same amount)."""
    match outcome:
        case CaseOutcome.REJECTED:
            return Ground.REFUSAL
        case CaseOutcome.STOPPED:
            return Ground.STOP
        case CaseOutcome.GRADUAL_EXIT:
            return Ground.GRADUAL_EXIT
        case CaseOutcome.ADJUSTED if amount_fen < before_fen:
            return Ground.REDUCTION
    return None


def window_ends_on(decided_on: dt.date, appeal_days: int) -> dt.date:
    """The last day an appeal is filed in time: `appeal_days` calendar days after the day of the decision."""
    return decided_on + dt.timedelta(days=appeal_days)


def is_late(filed_on: dt.date, decided_on: dt.date, appeal_days: int) -> bool:
    return filed_on > window_ends_on(decided_on, appeal_days)


def outcome_after(ground: Ground, status: AppealStatus, decided: CaseOutcome) -> CaseOutcome:
    """The case's outcome once its appeal is decided: the decision itself when upheld; an approval for an overturned
    refusal; a continuation (the entitlement as it was before the cut) for an overturned stop, cut or exit."""
    if status is not AppealStatus.OVERTURNED:
        return decided
    return CaseOutcome.APPROVED if ground is Ground.REFUSAL else CaseOutcome.CONTINUED
