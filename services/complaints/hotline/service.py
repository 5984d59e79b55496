"""Receiving 12345 work orders (CONTRACTS.md §2): idempotent on the platform's `work_order_no`. The same work order
again gets the original answer; another under a number the platform used is a conflict; either way nothing new is
logged. A number is the platform's own: another platform's order under the same number is another order, and the
answer never says whether it exists."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from libs.kernel import receipts
from libs.kernel.auth import Principal, ensure_jurisdiction
from libs.kernel.presenters import from_row
from services.complaints.context import WORK_ORDER_CONTEXT, Complaints
from services.complaints.hotline.errors import WorkOrderConflict
from services.complaints.hotline.limits import check_size
from services.complaints.hotline.models import WorkOrder
from services.complaints.hotline.schemas import WorkOrderIn, WorkOrderReceived
from services.complaints.register import intake
from services.complaints.register.rules import Source, Status, SubjectKind
from services.complaints.register.schemas import CallerIn, SubjectIn


async def receive(
    session: AsyncSession, ctx: Complaints, client: Principal, body: WorkOrderIn, payload: bytes
) -> tuple[WorkOrderReceived, bool]:
    """The answer, and whether this call logged the work order (False: a repeat of the same one)."""
    ensure_jurisdiction(client, body.region_code)
    check_size(body.raw, payload)
    digest = receipts.request_hash(body, "received_at", "due_at")
    row = await receipts.receipt_for(
        session,
        WorkOrder,
        {"client_id": client.subject, "work_order_no": body.work_order_no},
        request_hash=digest,
        complaint_id=None,
        response={},
        payload_sealed=ctx.seal(payload, WORK_ORDER_CONTEXT),
        received_at=ctx.now(),
    )
    if row.complaint_id is not None:
        conflict = WorkOrderConflict(f"Work order {body.work_order_no} was already received with other content")
        return receipts.original_answer(row, digest, WorkOrderReceived, conflict), False
    item = await intake.record(session, ctx, _new_item(client, body))
    row.complaint_id = item.id
    answer = WorkOrderReceived(complaint_id=item.id, work_order_no=body.work_order_no, status=Status.RECEIVED)
    return receipts.keep_answer(row, answer), True


def _new_item(client: Principal, body: WorkOrderIn) -> intake.NewItem:
    c = body.caller
    # Constructed, not validated again: the platform's names were checked by its own, more lenient, rule (a staff
    # entry's names must look like names; a platform's are taken as its operator typed them).
    caller = CallerIn.model_construct(
        anonymous=c.anonymous, name=c.name, phone=c.phone, id_number=c.id_number, address=c.address
    )
    subject = None
    if body.subject is not None:
        s = body.subject
        # The platform names a person; staff may later say it is the household or a staff member.
        subject = SubjectIn.model_construct(
            kind=SubjectKind.PERSON, name=s.name, id_number=s.id_number, household_id=None, address=s.address
        )
    # The platform's deadline and number come with the body (`due_at`, `work_order_no`).
    return from_row(
        intake.NewItem,
        body,
        source=Source.HOTLINE,
        caller=caller,
        subject=subject,
        created_by=client.subject,
        client_id=client.subject,
    )
