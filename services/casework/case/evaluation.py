"""The democratic evaluation (民主评议 / 村社区评议, seed 004 三(一), issue 21): recorded on a case in township review,
checked when the township proposes (the reasons it is a fact, not a status: case/evaluation_rules.py).

The close-relative recusal (DOMAIN.md §7) applies twice: the officer who records it (`load_for_action`) and every
panel member, matched by real name against the case's and household's recusals as the register matches staff.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.clock import business_date
from libs.contracts.programs import Program
from libs.kernel.auth import Principal
from libs.kernel.presenters import from_row
from services.casework.case.errors import (
    EVALUATION_PROBLEMS,
    EvaluationExists,
    EvaluationRequired,
    InvalidStatus,
    RecusalRequired,
)
from services.casework.case.evaluation_rules import evaluation_required, violations
from services.casework.case.evaluation_schemas import EvaluationIn, EvaluationOut, PanelMember
from services.casework.case.history import record
from services.casework.case.models import Case, CaseEvaluation, CaseInvestigation
from services.casework.case.recusal import recusals_for
from services.casework.case.rules import CaseKind, CaseStatus
from services.casework.context import CONTENT_CONTEXT, Casework
from services.casework.local_figures.figures import Standards

EVALUATED = "evaluation_recorded"
_RELATED, _RECUSAL = "a close relative must recuse", RecusalRequired.code


async def _latest_round(session: AsyncSession, case_id: str) -> CaseInvestigation | None:
    stmt = (
        select(CaseInvestigation)
        .where(CaseInvestigation.case_id == case_id)
        .order_by(CaseInvestigation.round.desc())
        .limit(1)
    )
    return (await session.scalars(stmt)).first()


async def _evaluated(session: AsyncSession, case_id: str, investigation_round: int) -> bool:
    stmt = select(CaseEvaluation.id).where(
        CaseEvaluation.case_id == case_id, CaseEvaluation.investigation_round == investigation_round
    )
    return (await session.scalar(stmt)) is not None


async def _ensure_panel_not_related(session: AsyncSession, case: Case, body: EvaluationIn) -> None:
    rows = await recusals_for(session, case_id=case.id, household_id=case.household_id)
    related = {r.staff_name for r in rows}
    named = [i for i, m in enumerate(body.panel) if m.name in related]
    if named:
        raise RecusalRequired(
            "A panel member is filed as a close relative of this household and must recuse (DOMAIN.md §7)",
            errors=[{"loc": ["body", "panel", i, "name"], "msg": _RELATED, "code": _RECUSAL} for i in named],
        )


async def record_evaluation(
    session: AsyncSession, ctx: Casework, who: Principal, case: Case, body: EvaluationIn
) -> CaseEvaluation:
    """Record the evaluation of the latest investigation of `case` (locked, jurisdiction and recusal checked)."""
    if case.status != CaseStatus.TOWNSHIP_REVIEW:
        raise InvalidStatus(
            f"A case in status {case.status} cannot be evaluated: the evaluation follows the investigation",
            status_now=case.status,
        )
    latest = await _latest_round(session, case.id)
    # Township review is reached by an investigation only, so there is one.
    assert latest is not None
    found = violations(body, today=business_date(ctx.now()), visited_on=latest.visited_on)
    if found:
        _loc, code, message = found[0]
        errors = [{"loc": ["body", *loc], "msg": m, "code": c} for loc, c, m in found]
        raise EVALUATION_PROBLEMS[code](message, errors=errors)
    if await _evaluated(session, case.id, latest.round):
        raise EvaluationExists(f"The evaluation of investigation round {latest.round} is already recorded")
    await _ensure_panel_not_related(session, case, body)
    row = CaseEvaluation(
        case_id=case.id,
        investigation_round=latest.round,
        held_on=body.held_on,
        place=body.place,
        participants=body.participants,
        panel_names=[m.name for m in body.panel],
        panel_roles=[m.role for m in body.panel],
        result=body.result.value,
        agree=body.agree,
        disagree=body.disagree,
        abstain=body.abstain,
        dissent_sealed=ctx.seal(body.dissent, CONTENT_CONTEXT),
        recorded_by=who.subject,
        recorded_at=ctx.now(),
    )
    session.add(row)
    case.version += 1
    case.updated_at = ctx.now()
    # The counts in the history; the dissent stays sealed on the row (it may name members).
    detail = f"{body.result.value}: agree {body.agree}, disagree {body.disagree}, abstain {body.abstain}"
    record(session, case, actor=who, action=EVALUATED, status_from=case.status, detail=detail, at=ctx.now())
    return row


async def ensure_evaluated(session: AsyncSession, case: Case, standards: Standards) -> None:
    """409 `evaluation_required` where the region wants an evaluation and the latest investigation has none."""
    if not evaluation_required(standards.democratic_evaluation, CaseKind(case.kind), Program(case.program)):
        return
    latest = await _latest_round(session, case.id)
    if latest is None or not await _evaluated(session, case.id, latest.round):
        raise EvaluationRequired(
            "This region requires the democratic evaluation of the latest investigation before the proposal"
        )


def evaluation_out(ctx: Casework, e: CaseEvaluation | Row[Any]) -> EvaluationOut:
    return from_row(
        EvaluationOut,
        e,
        panel=[PanelMember.model_construct(name=n, role=r) for n, r in zip(e.panel_names, e.panel_roles, strict=True)],
        dissent=ctx.open(e.dissent_sealed, CONTENT_CONTEXT),
    )
