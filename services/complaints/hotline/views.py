"""A work order as the platform reads it (CONTRACTS.md §2), which is also the body of the result push."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.clock import CHINA_TZ
from services.complaints.hotline.schemas import HistoryItem, ResultOut, WorkOrderOut
from services.complaints.register.models import Complaint, StatusChange
from services.complaints.register.rules import CLOSED, Finding, Status


def _cst(moment: dt.datetime) -> dt.datetime:
    # One spelling of every instant, China time as in CONTRACTS.md: the pushed body, built from the objects of the
    # closing transaction, and a later GET, read back from PostgreSQL, are then the same bytes.
    return moment.astimezone(CHINA_TZ)


async def work_order(session: AsyncSession, item: Complaint) -> WorkOrderOut:
    assert item.work_order_no is not None
    changes = (
        await session.scalars(
            select(StatusChange).where(StatusChange.complaint_id == item.id).order_by(StatusChange.id)
        )
    ).all()
    result = None
    if item.status in CLOSED:
        assert item.finding is not None
        assert item.handled_at is not None
        result = ResultOut(
            finding=Finding(item.finding),
            reply=item.reply or "",
            handled_at=_cst(item.handled_at),
            handler_unit=item.handler_unit or "",
        )
    repeat_of = None
    if item.repeat_of is not None:
        # Only the platform's own earlier order is named: an item of another platform or of staff is not its to know.
        repeat_of = await session.scalar(
            select(Complaint.work_order_no).where(Complaint.id == item.repeat_of, Complaint.client_id == item.client_id)
        )
    return WorkOrderOut(
        work_order_no=item.work_order_no,
        complaint_id=item.id,
        status=Status(item.status),
        result=result,
        history=[HistoryItem(status=Status(c.status), at=_cst(c.at), note=c.note) for c in changes],
        due_at=_cst(item.due_at),
        repeat_of_work_order_no=repeat_of,
    )
