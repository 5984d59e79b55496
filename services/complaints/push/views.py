"""Hotline platforms as the API shows them (never the secret), and the log of result pushes with every attempt."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from services.complaints.push import repository
from services.complaints.push.models import HotlinePlatform
from services.complaints.push.schemas import AttemptOut, DeliveryOut, PlatformOut
from services.complaints.register.models import ResultDelivery
from services.complaints.register.rules import Status


def platform_out(p: HotlinePlatform) -> PlatformOut:
    return PlatformOut.model_validate(p, from_attributes=True)


async def delivery_outs(session: AsyncSession, deliveries: Sequence[ResultDelivery]) -> list[DeliveryOut]:
    ids = [d.id for d in deliveries]
    by_delivery: dict[str, list[AttemptOut]] = {i: [] for i in ids}
    for a in await repository.attempts_of(session, ids):
        by_delivery[a.delivery_id].append(AttemptOut.model_validate(a, from_attributes=True))
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
