"""Which outcomes a review may end in (services/casework/outcome/allowed.py): the table, pure."""

from __future__ import annotations

import pytest

from services.casework.outcome.allowed import Suggestion, allowed_outcomes, refusal
from services.casework.outcome.rules import ReviewOutcome

C, A, G, S = ReviewOutcome.CONTINUED, ReviewOutcome.ADJUSTED, ReviewOutcome.GRADUAL_EXIT, ReviewOutcome.STOPPED


@pytest.mark.parametrize(
    ("suggested", "stop_ground", "members_leave", "allowed"),
    [
        # Eligible at the same amount: continue, or adjust (members only); never exit or stop on income alone.
        pytest.param(C, False, False, {C, A}, id="same-amount"),
        pytest.param(C, False, True, {A}, id="same-amount-members-leave-adjust-only"),
        pytest.param(C, True, False, {C, A, S}, id="same-amount-death-may-stop"),
        # Eligible at a new amount: only an adjustment pays it.
        pytest.param(A, False, False, {A}, id="new-amount"),
        pytest.param(A, True, True, {A, S}, id="new-amount-moved-out"),
        # Between 1.0× and 1.5× (or above through new work): the gradual exit, not an immediate stop.
        pytest.param(G, False, False, {G}, id="marginal-exit"),
        pytest.param(G, True, False, {G, S}, id="marginal-with-fraud-may-stop"),
        # Above 1.5× without new work: stop.
        pytest.param(S, False, False, {S}, id="above"),
        pytest.param(S, True, True, {S}, id="above-ground-changes-nothing"),
    ],
)
def test_allowed_outcomes(
    suggested: ReviewOutcome, stop_ground: bool, members_leave: bool, allowed: set[ReviewOutcome]
) -> None:
    assert allowed_outcomes(suggested, stop_ground=stop_ground, members_leave=members_leave) == allowed


@pytest.mark.parametrize(
    ("proposed", "suggested", "stop_ground", "members_leave", "fragments"),
    [
        pytest.param(
            G, C, False, False, ("“渐退”不符合规定", "应为“续保”", "可选：续保、调整", "RULE"), id="exit-below"
        ),
        pytest.param(S, G, False, False, ("“停发”", "应为“渐退”", "须注明停发事由", "RULE"), id="stop-in-exit-band"),
        pytest.param(C, A, False, False, ("“续保”", "应为“调整”", "RULE"), id="continue-old-amount"),
        pytest.param(C, C, False, True, ("有成员减少的，应作调整",), id="continue-while-members-leave"),
        pytest.param(G, S, True, False, ("应为“停发”", "可选：停发"), id="exit-above-without-work"),
    ],
)
def test_a_refusal_says_why_in_chinese_with_the_rules_reason(
    proposed: ReviewOutcome,
    suggested: ReviewOutcome,
    stop_ground: bool,
    members_leave: bool,
    fragments: tuple[str, ...],
) -> None:
    why = refusal(proposed, Suggestion(suggested, "RULE"), stop_ground=stop_ground, members_leave=members_leave)
    assert why is not None
    for fragment in fragments:
        assert fragment in why


@pytest.mark.parametrize(
    ("proposed", "suggested", "stop_ground"),
    [
        pytest.param(C, C, False, id="continue"),
        pytest.param(A, C, False, id="adjust-members-at-same-amount"),
        pytest.param(G, G, False, id="exit"),
        pytest.param(S, S, False, id="stop"),
        pytest.param(S, C, True, id="stop-on-a-ground"),
    ],
)
def test_what_the_rule_allows_passes(proposed: ReviewOutcome, suggested: ReviewOutcome, stop_ground: bool) -> None:
    assert refusal(proposed, Suggestion(suggested, "r"), stop_ground=stop_ground, members_leave=False) is None
