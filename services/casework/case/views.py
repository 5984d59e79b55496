"""A case as the officer reads it: masked identity numbers, the calculation line by line, the whole history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.clock import business_date
from libs.contracts.money import Money
from libs.contracts.programs import NEVER_PUBLISHED
from services.casework.case.models import Case, CaseAttachment, CaseHistory, CaseInvestigation, CaseVerification
from services.casework.case.rules import OPEN_STATUSES, CaseStatus
from services.casework.case.schemas import (
    AttachmentOut,
    CaseOut,
    CaseSummary,
    FindingOut,
    HistoryOut,
    InvestigationOut,
    LineOut,
    PostingItem,
    PostingOut,
)
from services.casework.context import CONTENT_CONTEXT, Casework
from services.casework.registry.state import HouseholdState
from services.casework.registry.views import head_name_masked, masked_id


def _money(fen: int | None) -> str | None:
    return None if fen is None else Money.from_fen(fen).to_str()


def summary(case: Case, ctx: Casework) -> CaseSummary:
    today = business_date(ctx.now())
    return CaseSummary(**_summary_fields(case, today))


def _summary_fields(case: Case, today: dt.date) -> dict[str, Any]:
    open_ = CaseStatus(case.status) in OPEN_STATUSES
    return {
        "case_id": case.id,
        "kind": case.kind,
        "trigger": case.trigger,
        "status": case.status,
        "program": case.program,
        "region_code": case.region_code,
        "household_id": case.household_id,
        "application_id": case.application_id,
        "application_no": case.application_no,
        "applicant_name_masked": case.applicant_name_masked,
        "member_count": case.member_count,
        "due_date": case.due_date,
        "overdue": bool(open_ and case.due_date is not None and case.due_date < today),
        "close_relative": case.close_relative_declared or case.close_relative_detected,
        "county_investigation": case.county_investigation,
        "proposed_outcome": case.proposed_outcome,
        "proposed_amount": _money(case.proposed_amount_fen),
        "outcome": case.outcome,
        "opened_at": case.opened_at,
    }


async def detail(session: AsyncSession, ctx: Casework, case: Case) -> CaseOut:
    content = ctx.unseal_json(case.content_sealed, CONTENT_CONTEXT)
    history = (
        await session.scalars(select(CaseHistory).where(CaseHistory.case_id == case.id).order_by(CaseHistory.id))
    ).all()
    investigations = (
        await session.scalars(
            select(CaseInvestigation).where(CaseInvestigation.case_id == case.id).order_by(CaseInvestigation.round)
        )
    ).all()
    verifications = (await session.scalars(select(CaseVerification).where(CaseVerification.case_id == case.id))).all()
    attachments = (
        await session.scalars(
            select(CaseAttachment).where(CaseAttachment.case_id == case.id).order_by(CaseAttachment.uploaded_at)
        )
    ).all()
    findings = [
        FindingOut(
            member_id_number_masked=masked_id(f["member_id_number"]),
            source=f["source"],
            outcome=f["outcome"],
            detail=f.get("detail", ""),
        )
        for v in verifications
        for f in ctx.unseal_json(v.findings_sealed, CONTENT_CONTEXT)
    ]
    inv_out = []
    for i in investigations:
        body = ctx.unseal_json(i.content_sealed, CONTENT_CONTEXT)
        inv_out.append(
            InvestigationOut(
                round=i.round,
                investigators=i.investigators,
                visited_on=i.visited_on,
                by_county=i.by_county,
                findings=body.get("findings", ""),
                neighbour_visits=body.get("neighbour_visits", ""),
                recorded_by=i.recorded_by,
                recorded_at=i.recorded_at,
            )
        )
    proposal = dict(case.proposal or {})
    lines = [
        LineOut(label=x["label"], formula=x["formula"], amount=_money(x.get("amount_fen")))
        for x in content.get("calculation", [])
    ]
    today = business_date(ctx.now())
    return CaseOut(
        **_summary_fields(case, today),
        due_date_provisional=case.due_date_provisional,
        emergency=case.emergency,
        trigger_summary=case.trigger_summary,
        members=[
            {
                "id_number_masked": masked_id(m["id_number"]),
                "name": m["name"],
                "relation": m["relation"],
                "birth_date": m["birth_date"],
            }
            for m in content["members"]
        ],
        calculation=lines,
        proposal=proposal or None,
        publicity_ends_on=case.publicity_ends_on,
        reasons=list(case.reasons or []),
        effective_month=case.effective_month,
        decided_at=case.decided_at,
        decided_by=case.decided_by,
        verification=findings,
        investigations=inv_out,
        attachments=[
            AttachmentOut(
                attachment_id=a.id,
                filename=a.filename,
                content_type=a.content_type,
                size=a.size,
                sha256=a.sha256,
                uploaded_by=a.uploaded_by,
                uploaded_at=a.uploaded_at,
            )
            for a in attachments
        ],
        history=[
            HistoryOut(
                at=h.at,
                actor=h.actor,
                actor_name=h.actor_name,
                action=h.action,
                status_from=h.status_from,
                status_to=h.status_to,
                detail=h.detail,
            )
            for h in history
        ],
        version=case.version,
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
            stage="proposed",
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
        if e.program not in NEVER_PUBLISHED and e.status != "stopped"
    ]
    return PostingOut(village_code=village_code, on=on, items=items)
