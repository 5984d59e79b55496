"""Items as staff see them: lists masked (DOMAIN.md §11); an anonymous informant never shown at all; of an item's
repeat petition only the items inside the reader's jurisdiction."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.clock import CHINA_TZ
from libs.contracts.id_number import mask_name, masked_form
from libs.kernel.auth import Principal
from libs.kernel.presenters import from_row
from services.complaints.context import ID_NUMBER_CONTEXT, PHONE_CONTEXT, Complaints
from services.complaints.register import repository
from services.complaints.register.models import Complaint
from services.complaints.register.repository import covers
from services.complaints.register.rules import (
    CLOSED,
    OPEN,
)
from services.complaints.register.schemas import (
    CallerOut,
    ComplaintOut,
    ComplaintSummary,
    ContactOut,
    FeedbackOut,
    HistoryItem,
    HistoryOut,
    NoteOut,
    RepeatOut,
    ResultOut,
    SubjectOut,
    WorkOrderOut,
)


def mask_phone(phone: str) -> str:
    digits = phone.replace("-", "").lstrip("+")
    return digits[:3] + "*" * max(len(digits) - 7, 0) + digits[-4:] if len(digits) > 7 else "*" * len(digits)


def _mask_id(ctx: Complaints, sealed: str | None) -> str | None:
    return masked_form(ctx.open(sealed, ID_NUMBER_CONTEXT)) if sealed else None


def _late(item: Complaint, now: dt.datetime) -> bool:
    answered = item.handled_at if item.status in CLOSED else None
    return (answered or now) > item.due_at


async def visible_repeats(session: AsyncSession, who: Principal, items: list[Complaint]) -> set[str]:
    """Which of the items these repeat lie inside `who`'s jurisdiction: a `repeat_of` outside it is not shown."""
    ids = {i.repeat_of for i in items if i.repeat_of is not None}
    if not ids:
        return set()
    earlier = await repository.complaints_by_id(session, ids)
    return {e.id for e in earlier if covers(who, e)}


def summary(item: Complaint, now: dt.datetime, visible: set[str]) -> ComplaintSummary:
    """`visible`: the ids of earlier items the reader may see (`visible_repeats`)."""
    return from_row(ComplaintSummary, item, **_worked_out(item, now, visible))


def _worked_out(item: Complaint, now: dt.datetime, visible: set[str]) -> dict[str, object]:
    """The summary's fields that are not the row's own as they stand: names masked, what the clock says, a repeat
    the reader may see; the rest come from the columns of the same names."""
    return {
        "complaint_id": item.id,
        "issue": item.issue or None,
        "caller_name": None if item.anonymous or not item.caller_name else mask_name(item.caller_name),
        "subject_name": mask_name(item.subject_name) if item.subject_name else None,
        "overdue": item.status in OPEN and now > item.due_at,
        "late": _late(item, now),
        "repeat_of": item.repeat_of if item.repeat_of in visible else None,
    }


async def detail(session: AsyncSession, ctx: Complaints, who: Principal, item: Complaint) -> ComplaintOut:
    history = await repository.status_changes(session, item.id)
    notes = await repository.investigation_notes(session, item.id)
    linked = await repository.petition_items(session, item.petition_id)
    # The item itself was checked against the reader already (repository); the others may lie elsewhere.
    petition = [p for p in linked if p.id == item.id or covers(who, p)]
    caller = None
    if not item.anonymous:
        caller = CallerOut(
            anonymous=False,
            name=item.caller_name,
            phone=mask_phone(ctx.open(item.caller_phone_sealed, PHONE_CONTEXT)) if item.caller_phone_sealed else None,
            id_number=_mask_id(ctx, item.caller_id_sealed),
            address=item.caller_address,
        )
    subject = None
    if item.subject_kind is not None:
        subject = SubjectOut(
            kind=item.subject_kind,
            name=item.subject_name,
            id_number=_mask_id(ctx, item.subject_id_sealed),
            household_id=item.subject_household_id,
            address=item.subject_address,
        )
    feedback = None
    if item.feedback_text is not None and item.feedback_at is not None and item.feedback_method is not None:
        feedback = FeedbackOut(
            text=item.feedback_text,
            method=item.feedback_method,
            given_at=item.feedback_at,
            by=item.feedback_by or "",
        )
    return from_row(
        ComplaintOut,
        item,
        **_worked_out(item, ctx.now(), {p.id for p in petition}),
        caller=caller,
        subject=subject,
        finding=item.finding or None,
        feedback=feedback,
        feedback_required=not item.anonymous,
        satisfaction=item.satisfaction or None,
        history=[HistoryOut.model_validate(h, from_attributes=True) for h in history],
        notes=[NoteOut.model_validate(n, from_attributes=True) for n in notes],
        petition=[RepeatOut.model_validate(p, from_attributes=True) for p in petition],
    )


def contact(ctx: Complaints, item: Complaint) -> ContactOut:
    """A real-name complainant's contact in full, to call or write back."""
    return ContactOut(
        name=item.caller_name,
        phone=ctx.open(item.caller_phone_sealed, PHONE_CONTEXT) if item.caller_phone_sealed else None,
        id_number=ctx.open(item.caller_id_sealed, ID_NUMBER_CONTEXT) if item.caller_id_sealed else None,
    )


# A work order as the platform reads it (CONTRACTS.md §2), which is also the body of the result push.
def _cst(moment: dt.datetime) -> dt.datetime:
    # One spelling of every instant, China time as in CONTRACTS.md: the pushed body, built from the objects of the
    # closing transaction, and a later GET, read back from PostgreSQL, are then the same bytes.
    return moment.astimezone(CHINA_TZ)


async def work_order(session: AsyncSession, item: Complaint) -> WorkOrderOut:
    assert item.work_order_no is not None
    changes = await repository.status_changes(session, item.id)
    result = None
    if item.status in CLOSED:
        assert item.finding is not None
        assert item.handled_at is not None
        result = ResultOut(
            finding=item.finding,
            reply=item.reply or "",
            handled_at=_cst(item.handled_at),
            handler_unit=item.handler_unit or "",
        )
    repeat_of = None
    if item.repeat_of is not None:
        # Only the platform's own earlier order is named: an item of another platform or of staff is not its to know.
        repeat_of = await repository.own_work_order_no(session, item.repeat_of, item.client_id)
    return WorkOrderOut(
        work_order_no=item.work_order_no,
        complaint_id=item.id,
        status=item.status,
        result=result,
        history=[HistoryItem(status=c.status, at=_cst(c.at), note=c.note) for c in changes],
        due_at=_cst(item.due_at),
        repeat_of_work_order_no=repeat_of,
    )
