"""Which outcomes a review may end in, given what its recalculation suggests (seed 000 四, seed 004 二(五)): pure.

The officer chooses, the rule bounds the choice: a household still below the standard is continued or adjusted by
the calculated amount, never exited; one between 1.0× and 1.5× the standard (or above it through a member's new work)
is given its gradual exit (原则上给予6个月的渐退期), not stopped at once; one above 1.5× without new work is stopped.
A stop on a ground the calculation cannot see (a death, moving out of the jurisdiction, the imprisonment of a sole
member, fraud: DOMAIN.md §4) is allowed whatever the income, when the proposal names that ground.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from services.casework.outcome.rules import ReviewOutcome

_ZH: dict[ReviewOutcome, str] = {
    ReviewOutcome.CONTINUED: "续保",
    ReviewOutcome.ADJUSTED: "调整",
    ReviewOutcome.GRADUAL_EXIT: "渐退",
    ReviewOutcome.STOPPED: "停发",
}


class StopGround(StrEnum):
    """A ground for stopping that is not in the income test (DOMAIN.md §4)."""

    DEATH = "death"  # 死亡
    MOVED_OUT = "moved_out"  # 迁出本辖区
    IMPRISONED = "imprisoned"  # 唯一成员服刑
    FRAUD = "fraud"  # 骗取救助


@dataclass(frozen=True, slots=True)
class Suggestion:
    """The outcome the rule points to and why (Chinese first, as the officer reads it)."""

    outcome: ReviewOutcome
    reason: str


# What each suggestion allows, before any stop ground (the table of seed 000 四 and seed 004 二(五)).
_ALLOWED: dict[ReviewOutcome, frozenset[ReviewOutcome]] = {
    # Same amount: continue, or an adjustment that changes nothing but the members.
    ReviewOutcome.CONTINUED: frozenset({ReviewOutcome.CONTINUED, ReviewOutcome.ADJUSTED}),
    # A new amount is paid only through an adjustment (continuing would keep paying the old one).
    ReviewOutcome.ADJUSTED: frozenset({ReviewOutcome.ADJUSTED}),
    ReviewOutcome.GRADUAL_EXIT: frozenset({ReviewOutcome.GRADUAL_EXIT}),
    ReviewOutcome.STOPPED: frozenset({ReviewOutcome.STOPPED}),
}


def allowed_outcomes(suggestion: ReviewOutcome, *, stop_ground: bool, members_leave: bool) -> frozenset[ReviewOutcome]:
    """The outcomes a review may propose when its recalculation suggests `suggestion`.

    `stop_ground`: the proposal names a ground for stopping outside the income test, or the case was opened by a
    death. `members_leave`: the proposal removes members, which only an adjustment (or a stop) carries out.
    """
    allowed = set(_ALLOWED[suggestion])
    if stop_ground:
        allowed.add(ReviewOutcome.STOPPED)
    if members_leave:
        allowed.discard(ReviewOutcome.CONTINUED)
    return frozenset(allowed)


def refusal(proposed: ReviewOutcome, suggestion: Suggestion, *, stop_ground: bool, members_leave: bool) -> str | None:
    """Why the rule does not allow `proposed` (Chinese, with the suggestion's own reason), or None when it does."""
    allowed = allowed_outcomes(suggestion.outcome, stop_ground=stop_ground, members_leave=members_leave)
    if proposed in allowed:
        return None
    names = "、".join(_ZH[o] for o in ReviewOutcome if o in allowed)
    why = f"复核结论“{_ZH[proposed]}”不符合规定，依核算应为“{_ZH[suggestion.outcome]}”（可选：{names}）"
    why += f"：{suggestion.reason}"
    if proposed is ReviewOutcome.CONTINUED and members_leave:
        why += "；有成员减少的，应作调整"
    if proposed is ReviewOutcome.STOPPED and not stop_ground:
        why += "；因死亡、迁出、唯一成员服刑或骗保停发的，须注明停发事由"
    return why
