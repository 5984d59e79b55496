"""Handling an item (DOMAIN.md §6): routing, investigation, the finding and the reply, written feedback to a
real-name complainant, and returning what is not ours. Each use case runs in the request's transaction."""

from __future__ import annotations

import datetime as dt

import structlog
from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from libs.kernel.auth import Principal, ensure_jurisdiction
from services.complaints.context import Complaints
from services.complaints.register import events, results
from services.complaints.register.errors import (
    AnonymousItem,
    FeedbackRequired,
    FindingNeedsFacts,
    NotAnswered,
    NotInvestigated,
    SubjectUnidentified,
)
from services.complaints.register.history import record_status
from services.complaints.register.intake import apply_subject
from services.complaints.register.models import Complaint, InvestigationNote
from services.complaints.register.rules import (
    CLOSED,
    FACTUAL,
    NEEDS_INVESTIGATION,
    UPHELD,
    Finding,
    Satisfaction,
    Source,
    Status,
    SubjectKind,
    unit_name,
)
from services.complaints.register.schemas import AssignIn, ClassificationIn, FeedbackIn, NoteIn, ResolveIn, ReturnIn

_log = structlog.get_logger("complaints.ledger")


async def assign(session: AsyncSession, ctx: Complaints, who: Principal, item: Complaint, body: AssignIn) -> None:
    """The county routes an item to another township, or keeps it."""
    ensure_jurisdiction(who, body.unit)
    item.assigned_unit = body.unit
    item.assigned_to = None
    note = f"改派至{unit_name(body.unit)}" + (f"：{body.note}" if body.note else "")
    record_status(session, item, Status.ASSIGNED, ctx.now(), note, who.subject)


async def add_note(session: AsyncSession, ctx: Complaints, who: Principal, item: Complaint, body: NoteIn) -> None:
    """An investigation note; the first one starts the investigation (核查)."""
    now = ctx.now()
    session.add(
        InvestigationNote(
            complaint_id=item.id,
            at=now,
            visited_on=body.visited_on,
            text=body.text,
            by=who.subject,
            by_name=who.display_name or who.name,
        )
    )
    item.assigned_to = item.assigned_to or who.subject
    if item.status != Status.INVESTIGATING:
        record_status(session, item, Status.INVESTIGATING, now, "核查中", who.subject)


def classify(ctx: Complaints, item: Complaint, body: ClassificationIn) -> None:
    if body.issue is not None:
        item.issue = body.issue.value
    if body.subject is not None:
        apply_subject(ctx, item, body.subject)


def give_feedback(ctx: Complaints, who: Principal, item: Complaint, body: FeedbackIn) -> None:
    if item.anonymous:
        # Nobody to write to, and asking who it was would expose the informant (DOMAIN.md §6).
        raise AnonymousItem("An anonymous item gets no feedback")
    item.feedback_text = body.text
    item.feedback_method = body.method.value
    item.feedback_at = body.given_at or ctx.now()
    item.feedback_by = who.subject


async def resolve(session: AsyncSession, ctx: Complaints, who: Principal, item: Complaint, body: ResolveIn) -> None:
    """Record the finding and the reply and close the item; an upheld item about a household asks casework for a
    review, one about staff goes to supervision, and a hotline item's result goes back to its platform."""
    if body.issue is not None:
        item.issue = body.issue.value
    if item.category in FACTUAL and body.finding not in NEEDS_INVESTIGATION:
        raise FindingNeedsFacts(
            "A complaint or report ends in a finding about facts (substantiated, partly, unsubstantiated), or is "
            "returned as not ours",
            errors=[{"loc": ["body", "finding"], "msg": "not_applicable answers questions, suggestions and help"}],
        )
    if body.finding in NEEDS_INVESTIGATION and not await _investigated(session, item):
        raise NotInvestigated("A finding about facts needs an investigation note first (逐一核查)")
    _feedback_before_closing(ctx, who, item, body.feedback)
    upheld_about_household = body.finding in UPHELD and item.subject_kind in (SubjectKind.HOUSEHOLD, SubjectKind.PERSON)
    if upheld_about_household and item.subject_household_id is None and item.subject_id_sealed is None:
        raise SubjectUnidentified(
            "Identify the household or person (household_id or identity number) before upholding the item, so "
            "that its review can be opened",
            errors=[{"loc": ["body", "finding"], "msg": "the subject has no household_id or identity number"}],
        )
    now = ctx.now()
    _answer(item, who, body.finding, body.reply, now)
    note = f"办结：{_FINDING_NOTE[body.finding]}"
    if body.finding in UPHELD and item.subject_kind == SubjectKind.STAFF:
        item.supervision_referred = True
        note += "；移送纪检监察"
    record_status(session, item, Status.RESOLVED, now, note, who.subject)
    if upheld_about_household:
        await events.substantiated(session, ctx, item)
    await _closed(session, ctx, item)


async def return_item(session: AsyncSession, ctx: Complaints, who: Principal, item: Complaint, body: ReturnIn) -> None:
    """Not a civil-affairs matter: returned with the reason (退回), which the platform passes on. A real-name
    complainant is told in writing as on every other way an item closes (DOMAIN.md §6)."""
    _feedback_before_closing(ctx, who, item, body.feedback)
    now = ctx.now()
    _answer(item, who, Finding.NOT_APPLICABLE, body.reason, now)
    record_status(session, item, Status.RETURNED, now, f"退回：{body.reason}", who.subject)
    await _closed(session, ctx, item)


def _answer(item: Complaint, who: Principal, finding: Finding, reply: str, now: dt.datetime) -> None:
    """How the item closes, resolved or returned: its finding and reply, when, by whom and in the name of which unit."""
    item.finding = finding.value
    item.reply = reply
    item.handled_at = now
    item.handled_by = who.subject
    item.handler_unit = unit_name(item.assigned_unit)


def _feedback_before_closing(ctx: Complaints, who: Principal, item: Complaint, feedback: FeedbackIn | None) -> None:
    """Every way a real-name item closes (resolved or returned) needs the written result to the complainant: given
    with the closing request or before it. Checked before anything is closed, so a refusal changes nothing."""
    if feedback is not None:
        give_feedback(ctx, who, item, feedback)
    if not item.anonymous and item.feedback_text is None:
        raise FeedbackRequired(
            "A real-name item is closed only with written feedback to the complainant (seed 000 §5(二))",
            errors=[{"loc": ["body", "feedback"], "msg": "written feedback to the complainant is required"}],
        )


async def _closed(session: AsyncSession, ctx: Complaints, item: Complaint) -> None:
    await session.flush()
    if item.source == Source.HOTLINE:
        await results.enqueue(session, ctx, item)
    _log.info("complaint.closed", complaint_id=item.id, status=item.status, finding=item.finding)


async def _investigated(session: AsyncSession, item: Complaint) -> bool:
    stmt = select(exists().where(InvestigationNote.complaint_id == item.id))
    return bool(await session.scalar(stmt))


_FINDING_NOTE = {
    Finding.SUBSTANTIATED: "反映属实",
    Finding.PARTLY_SUBSTANTIATED: "反映部分属实",
    Finding.UNSUBSTANTIATED: "反映不属实",
    Finding.NOT_APPLICABLE: "已答复",
}


def record_satisfaction(
    ctx: Complaints, item: Complaint, satisfaction: Satisfaction, note: str, surveyed_at: dt.datetime | None
) -> None:
    """The platform's follow-up with the caller (DOMAIN.md §6: 回访满意度 is recorded)."""
    if item.status not in CLOSED:
        raise NotAnswered(f"Work order {item.work_order_no} is not answered yet")
    item.satisfaction = satisfaction.value
    item.satisfaction_note = note
    item.satisfaction_at = surveyed_at or ctx.now()
