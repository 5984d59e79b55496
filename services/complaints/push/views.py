"""Hotline platforms as the API shows them (never the secret), and the log of result pushes with every attempt."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from libs.kernel.presenters import from_row
from services.complaints.push import repository
from services.complaints.push.models import HotlinePlatform
from services.complaints.push.schemas import AttemptOut, DeliveryOut, PlatformOut
from services.complaints.register.models import ResultDelivery


def platform_out(p: HotlinePlatform) -> PlatformOut:
    return PlatformOut.model_validate(p, from_attributes=True)


async def delivery_outs(session: AsyncSession, deliveries: Sequence[ResultDelivery]) -> list[DeliveryOut]:
    ids = [d.id for d in deliveries]
    by_delivery: dict[str, list[AttemptOut]] = {i: [] for i in ids}
    for a in await repository.attempts_of(session, ids):
        by_delivery[a.delivery_id].append(AttemptOut.model_validate(a, from_attributes=True))
    return [
        from_row(
            DeliveryOut,
            d,
            delivery_id=d.id,
            state="delivered" if d.delivered_at is not None else "pending",
            next_attempt_at=None if d.delivered_at is not None else d.next_attempt_at,
            attempt_log=by_delivery[d.id],
        )
        for d in deliveries
    ]
