"""The democratic evaluation's rules, pure (tables of cases in tests/casework/test_evaluation.py).

Whether a case needs one: a region that sets `democratic_evaluation` wants the village's evaluation (民主评议,
村社区评议, seed 004 三(一)) of every new application before the township proposes. Reviews are not evaluated again
(the household was evaluated when it came in, and a death or a registry hit is not a question for the village), and
temporary assistance has the shortened procedure of seed 004 二(七).

The evaluation is a recorded fact checked at the proposal, not a status of its own: it happens between two steps
the state machine has already (investigation → township review → proposal), changes nothing the later steps do,
and is optional per region, so a status would need a second path through `case/rules.py` for regions without it
and every status-keyed list, count and console step would learn a status most regions never see.
"""

from __future__ import annotations

import datetime as dt

from libs.contracts.programs import Program
from services.casework.case.evaluation_schemas import EvaluationIn, EvaluationResult
from services.casework.case.rules import CaseKind

Violation = tuple[tuple[str | int, ...], str, str]


def evaluation_required(required_here: bool, kind: CaseKind, program: Program) -> bool:
    return required_here and kind is CaseKind.APPLICATION and program is not Program.TEMPORARY


def violations(body: EvaluationIn, *, today: dt.date, visited_on: dt.date) -> list[Violation]:
    """(loc, code, message) for an evaluation that cannot be right: dated outside [the visit, today], a panel or
    votes beyond the people present, a result its counts contradict, votes against with no dissent recorded."""
    out: list[Violation] = []
    if body.held_on > today:
        out.append((("held_on",), "evaluation_date_invalid", "the evaluation is dated in the future"))
    elif body.held_on < visited_on:
        out.append((("held_on",), "evaluation_date_invalid", "the evaluation comes after the home visit"))
    names = [m.name for m in body.panel]
    if len(set(names)) < len(names):
        out.append((("panel",), "evaluation_inconsistent", "a panel member is named twice"))
    if len(names) > body.participants:
        out.append((("panel",), "evaluation_inconsistent", "the panel is larger than the number present"))
    votes = body.agree + body.disagree + body.abstain
    if votes > body.participants:
        out.append((("agree",), "evaluation_inconsistent", "more votes than people present"))
    expected = {
        EvaluationResult.AGREE: body.agree > 0 and body.disagree == 0,
        EvaluationResult.DISAGREE: body.disagree > 0 and body.agree == 0,
        EvaluationResult.MIXED: body.agree > 0 and body.disagree > 0,
    }[body.result]
    if not expected:
        out.append((("result",), "evaluation_inconsistent", f"the counts do not give the result {body.result.value}"))
    if body.disagree > 0 and not body.dissent.strip():
        out.append((("dissent",), "dissent_required", "votes against need the dissent written down"))
    return out
