"""A hotline item's result for its platform (CONTRACTS.md §2): the work order as it stands when the item closes,
sealed and queued in the closing transaction; the worker's push (push/delivery.py) opens it and sends these bytes."""

from __future__ import annotations

import uuid

import orjson
from sqlalchemy.ext.asyncio import AsyncSession

from services.complaints.context import RESULT_CONTEXT, Complaints
from services.complaints.register.models import Complaint, ResultDelivery
from services.complaints.register.views import work_order


async def enqueue(session: AsyncSession, ctx: Complaints, item: Complaint) -> ResultDelivery:
    """The work order's body as it stands now, queued for its platform in the transaction that closed it."""
    assert item.work_order_no is not None
    assert item.client_id is not None
    body = orjson.dumps((await work_order(session, item)).model_dump(mode="json"))
    now = ctx.now()
    delivery = ResultDelivery(
        id=str(uuid.uuid4()),
        complaint_id=item.id,
        work_order_no=item.work_order_no,
        client_id=item.client_id,
        status=item.status,
        body_sealed=ctx.seal(body, RESULT_CONTEXT),
        created_at=now,
        attempts=0,
        next_attempt_at=now,
    )
    session.add(delivery)
    return delivery


def open_body(ctx: Complaints, delivery: ResultDelivery) -> bytes:
    return ctx.open(delivery.body_sealed, RESULT_CONTEXT)
