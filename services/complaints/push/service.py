"""Queueing results for the platform and reading the delivery log (CONTRACTS.md §2)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import orjson
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.complaints.context import RESULT_CONTEXT, Complaints
from services.complaints.hotline.schemas import AttemptOut, DeliveryOut
from services.complaints.hotline.views import work_order
from services.complaints.push.models import DeliveryAttempt, ResultDelivery
from services.complaints.register.models import Complaint
from services.complaints.register.rules import Status


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


async def deliveries_of(session: AsyncSession, complaint_id: str) -> list[DeliveryOut]:
    """The pushes of one item's result (by item: another platform may use the same work order number)."""
    deliveries = (
        await session.scalars(
            select(ResultDelivery)
            .where(ResultDelivery.complaint_id == complaint_id)
            .order_by(ResultDelivery.created_at, ResultDelivery.id)
        )
    ).all()
    return await outs(session, deliveries)


async def outs(session: AsyncSession, deliveries: Sequence[ResultDelivery]) -> list[DeliveryOut]:
    ids = [d.id for d in deliveries]
    attempts = (
        await session.scalars(
            select(DeliveryAttempt).where(DeliveryAttempt.delivery_id.in_(ids)).order_by(DeliveryAttempt.id)
        )
    ).all()
    by_delivery: dict[str, list[AttemptOut]] = {i: [] for i in ids}
    for a in attempts:
        by_delivery[a.delivery_id].append(
            AttemptOut(at=a.at, http_status=a.http_status, error=a.error, duration_ms=a.duration_ms)
        )
    return [
        DeliveryOut(
            delivery_id=d.id,
            work_order_no=d.work_order_no,
            complaint_id=d.complaint_id,
            status=Status(d.status),
            state="delivered" if d.delivered_at is not None else "pending",
            created_at=d.created_at,
            attempts=d.attempts,
            next_attempt_at=None if d.delivered_at is not None else d.next_attempt_at,
            last_error=d.last_error,
            delivered_at=d.delivered_at,
            attempt_log=by_delivery[d.id],
        )
        for d in deliveries
    ]
