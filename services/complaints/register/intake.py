"""Logging a new item in the ledger, whatever its channel (DOMAIN.md §6): its deadline, its township, its link to an
earlier item of the same petition, and a lead for the township when it asks for help."""

from __future__ import annotations

import datetime as dt
import uuid

import structlog
from pydantic import BaseModel, ConfigDict
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.clock import CHINA_TZ, business_date
from services.complaints.context import ID_NUMBER_CONTEXT, PHONE_CONTEXT, Complaints
from services.complaints.local_figures.repository import POLICIES, reply_due
from services.complaints.register import events
from services.complaints.register.history import record_status
from services.complaints.register.models import Complaint
from services.complaints.register.repeats import Keys, Repeat, earlier_item
from services.complaints.register.rules import (
    OPEN,
    Category,
    Channel,
    Issue,
    Source,
    Status,
    assigned_unit,
    county_of,
    unit_name,
)
from services.complaints.register.schemas import CallerIn, SubjectIn

_log = structlog.get_logger("complaints.ledger")


class NewItem(BaseModel):
    """An item to log, whoever sends it: a request's fields of the same names, and what the route adds."""

    model_config = ConfigDict(frozen=True)

    source: Source
    channel: Channel
    category: Category
    title: str
    content: str
    region_code: str
    caller: CallerIn
    subject: SubjectIn | None
    received_at: dt.datetime
    created_by: str
    issue: Issue | None = None
    # The platform's deadline (CONTRACTS.md §2), which wins over the region's working days.
    due_at: dt.datetime | None = None
    work_order_no: str | None = None
    client_id: str | None = None


def end_of_day(day: dt.date) -> dt.datetime:
    """A deadline day ends at midnight in China (DOMAIN.md §12)."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), CHINA_TZ) - dt.timedelta(microseconds=1)


def _sealed(ctx: Complaints, value: str | None, context: str) -> tuple[str | None, str | None]:
    return (ctx.seal(value, context), ctx.hash(value)) if value else (None, None)


def apply_subject(ctx: Complaints, item: Complaint, subject: SubjectIn | None) -> None:
    sealed_id, id_hash = _sealed(ctx, subject.id_number if subject else None, ID_NUMBER_CONTEXT)
    item.subject_kind = subject.kind.value if subject else None
    item.subject_name = subject.name if subject else None
    item.subject_id_sealed, item.subject_id_hash = sealed_id, id_hash
    item.subject_household_id = subject.household_id if subject else None
    item.subject_address = subject.address if subject else None


async def record(session: AsyncSession, ctx: Complaints, new: NewItem) -> Complaint:
    """Log `new`; the caller's transaction also carries its history, its repeat link and any event."""
    received_day = business_date(new.received_at)
    figures = await POLICIES.figures_for(session, new.region_code, received_day)
    if new.due_at is not None:
        due_at, due_source, provisional = new.due_at, "platform", False
    else:
        due = await reply_due(session, received_day, figures.reply_days)
        due_at, due_source, provisional = end_of_day(due.date), "working_days", due.provisional
    phone_sealed, phone_hash = _sealed(ctx, new.caller.phone, PHONE_CONTEXT)
    caller_id_sealed, caller_id_hash = _sealed(ctx, new.caller.id_number, ID_NUMBER_CONTEXT)
    complaint_id = str(uuid.uuid4())
    item = Complaint(
        id=complaint_id,
        source=new.source.value,
        work_order_no=new.work_order_no,
        client_id=new.client_id,
        channel=new.channel.value,
        category=new.category.value,
        issue=new.issue.value if new.issue else None,
        title=new.title,
        content=new.content,
        region_code=new.region_code,
        assigned_unit=assigned_unit(new.region_code),
        anonymous=new.caller.anonymous,
        # An informant's name is not kept readable (the sealed work order keeps what the platform sent); the phone
        # stays sealed with its hash, which is all repeat linking needs.
        caller_name=None if new.caller.anonymous else new.caller.name,
        caller_phone_sealed=phone_sealed,
        caller_phone_hash=phone_hash,
        caller_id_sealed=caller_id_sealed,
        caller_id_hash=caller_id_hash,
        caller_address=None if new.caller.anonymous else new.caller.address,
        received_at=new.received_at,
        due_at=due_at,
        due_source=due_source,
        due_provisional=provisional,
        status=Status.RECEIVED.value,
        petition_id=complaint_id,
        created_by=new.created_by,
        created_at=ctx.now(),
    )
    apply_subject(ctx, item, new.subject)
    keys = Keys(phone_hash, caller_id_hash, item.subject_id_hash, item.subject_household_id)
    repeat = await earlier_item(session, keys, county_of(new.region_code), new.received_at, figures.repeat_window_days)
    session.add(item)
    await session.flush()
    record_status(session, item, Status.RECEIVED, new.received_at, _received_note(new), new.created_by)
    if repeat is not None:
        _link(item, repeat)
    note = f"分派至{unit_name(item.assigned_unit)}"
    if repeat is not None:
        note += _repeat_note(item, repeat)
    record_status(session, item, Status.ASSIGNED, new.received_at, note, new.created_by)
    if item.category == Category.HELP and not _repeats_open_help(item, repeat):
        await events.help_requested(session, ctx, item, new.caller, new.subject)
    _log.info(
        "complaint.received",
        complaint_id=item.id,
        source=item.source,
        category=item.category,
        region_code=item.region_code,
        repeat_of=item.repeat_of,
    )
    return item


def _received_note(new: NewItem) -> str:
    return f"受理（{new.channel.value}）" if new.work_order_no is None else f"受理 12345 工单 {new.work_order_no}"


def _repeat_note(item: Complaint, repeat: Repeat) -> str:
    """The history says which earlier item this repeats only when whoever reads the history may know it: the platform
    its own earlier work order. The platform reads the history (CONTRACTS.md §2) and must learn nothing of another
    platform's orders or of staff items; staff see the petition, within their jurisdiction (views.detail)."""
    earlier = repeat.earlier
    if item.client_id is not None and earlier.client_id == item.client_id:
        return f"；重复件，关联 {earlier.work_order_no}"
    return "；重复件"


def _link(item: Complaint, repeat: Repeat) -> None:
    earlier = repeat.earlier
    item.repeat_of = earlier.id
    item.repeat_reason = repeat.reason
    item.petition_id = earlier.petition_id
    # The unit that knows the matter answers again, while it is still at it, if it lies in the same county (the county
    # may have moved the earlier item to itself or a township of its own; DOMAIN.md §1).
    if earlier.status in OPEN and earlier.assigned_unit[:6] == county_of(item.region_code):
        item.assigned_unit = earlier.assigned_unit
        item.assigned_to = earlier.assigned_to


def _repeats_open_help(item: Complaint, repeat: Repeat | None) -> bool:
    """Whether the township already has a lead for an open request about the same person in need: then a second
    call is not a second lead. Linked by the caller alone, it is the same person only when neither call names
    anyone else (a village cadre ringing for several families asks for each of them)."""
    if repeat is None or repeat.earlier.category != Category.HELP or repeat.earlier.status not in OPEN:
        return False
    return repeat.reason != "caller" or (item.subject_kind is None and repeat.earlier.subject_kind is None)
