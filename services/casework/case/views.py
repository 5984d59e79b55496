"""A case as the officer reads it: masked identity numbers, the calculation line by line, the whole history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row

from libs.contracts.clock import business_date
from libs.contracts.entitlements import is_current
from libs.contracts.id_number import masked_form
from libs.contracts.money import Money
from libs.contracts.programs import NEVER_PUBLISHED
from libs.kernel.presenters import from_row
from services.casework.case.content import CaseContent, open_findings, open_investigation
from services.casework.case.evaluation import evaluation_out
from services.casework.case.models import Case, CaseAttachment, CaseInvestigation
from services.casework.case.repository import CaseFile
from services.casework.case.rules import OPEN_STATUSES, CaseStatus
from services.casework.case.schemas import (
    AttachmentOut,
    CaseMemberOut,
    CaseOut,
    CaseSummary,
    FindingOut,
    HistoryOut,
    InvestigationOut,
    LineOut,
    PostingItem,
    PostingOut,
)
from services.casework.case.simplified import posted_for_confirmation
from services.casework.context import Casework
from services.casework.registry.state import HouseholdState
from services.casework.registry.views import head_name_masked


def _money(fen: int | None) -> str | None:
    return None if fen is None else Money.from_fen(fen).to_str()


def summary(case: Case, ctx: Casework) -> CaseSummary:
    return _summary(case, business_date(ctx.now()))


def _summary(case: Case, today: dt.date) -> CaseSummary:
    open_ = CaseStatus(case.status) in OPEN_STATUSES
    return from_row(
        CaseSummary,
        case,
        case_id=case.id,
        overdue=bool(open_ and case.due_date is not None and case.due_date < today),
        close_relative=case.close_relative_declared or case.close_relative_detected,
        proposed_amount=_money(case.proposed_amount_fen),
    )


def _investigation(ctx: Casework, i: CaseInvestigation | Row[Any]) -> InvestigationOut:
    body = open_investigation(ctx, i.content_sealed)
    return from_row(
        InvestigationOut,
        i,
        findings=body.findings,
        neighbour_visits=body.neighbour_visits,
        simplified=body.simplified,
        commitment=body.commitment,
    )


def attachment_out(a: CaseAttachment | Row[Any]) -> AttachmentOut:
    return AttachmentOut.model_validate(a, from_attributes=True)


def detail(ctx: Casework, case: Case, file: CaseFile) -> CaseOut:
    """The whole case: members masked, the calculation, the proposal, findings, investigations, the history."""
    content = CaseContent.open(ctx, case.content_sealed)
    return from_row(
        CaseOut,
        case,
        **_summary(case, business_date(ctx.now())).model_dump(),
        members=[from_row(CaseMemberOut, m, id_number_masked=masked_form(m.id_number)) for m in content.members],
        calculation=[
            LineOut(label=x.label, formula=x.formula, amount=_money(x.amount_fen)) for x in content.calculation
        ],
        proposal=case.proposal or None,
        reasons=list(case.reasons or []),
        verification=[
            FindingOut(
                member_id_number_masked=masked_form(f.member_id_number),
                source=str(f.source),
                outcome=str(f.outcome),
                detail=f.detail,
            )
            for v in file.verifications
            for f in open_findings(ctx, v.findings_sealed)
        ],
        investigations=[_investigation(ctx, i) for i in file.investigations],
        evaluations=[evaluation_out(ctx, e) for e in file.evaluations],
        attachments=[attachment_out(a) for a in file.attachments],
        history=[HistoryOut.model_validate(h, from_attributes=True) for h in file.history],
    )


def posting(
    village_code: str, on: dt.date, proposals: Sequence[Case], households: Sequence[HouseholdState]
) -> PostingOut:
    """The posting: proposals first, then the standing list; never a child's allowance, nothing but the program
    and the amount (DOMAIN.md §11)."""
    items = [
        PostingItem(
            name_masked=c.applicant_name_masked,
            household_size=c.member_count,
            program=c.program,
            monthly_amount=Money.from_fen(c.proposed_amount_fen or 0).to_str(),
            stage="continuing" if posted_for_confirmation(c) else "proposed",
            ends_on=c.publicity_ends_on,
        )
        for c in proposals
        if c.program not in NEVER_PUBLISHED
    ]
    items += [
        PostingItem(
            name_masked=head_name_masked(s),
            household_size=len(s.members),
            program=e.program,
            monthly_amount=Money.from_fen(e.monthly_amount_fen).to_str(),
            stage="recipient",
        )
        for s in households
        for e in s.entitlements
        if e.program not in NEVER_PUBLISHED and is_current(e.status)
    ]
    return PostingOut(village_code=village_code, on=on, items=items)
