"""Queries of the hotline platforms' table, the results queued for them and the attempts to deliver them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Literal

from sqlalchemy import exists, literal, not_, select, tuple_, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.complaints.push.models import DeliveryAttempt, HotlinePlatform
from services.complaints.register.models import Complaint, ResultDelivery


async def posted_outside(session: AsyncSession, client_id: str, region: str) -> bool:
    """Whether the client has posted work orders outside `region`: then `region` is not the client's."""
    outside = exists().where(Complaint.client_id == client_id, not_(Complaint.region_code.startswith(region)))
    return bool(await session.scalar(select(outside)))


async def platform_for_update(session: AsyncSession, client_id: str, *, fresh: bool = False) -> HotlinePlatform | None:
    return await session.get(HotlinePlatform, client_id, with_for_update=True, populate_existing=fresh)


async def insert_platform(session: AsyncSession, values: Mapping[str, object]) -> bool:
    """Insert the platform unless a row for its client exists; whether this call inserted it."""
    inserted = await session.execute(
        pg_insert(HotlinePlatform)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["client_id"])
        .returning(HotlinePlatform.client_id)
    )
    return inserted.scalar_one_or_none() is not None


async def retry_pending_now(session: AsyncSession, client_id: str, now: dt.datetime) -> None:
    """Results still waiting for the client are due at once (its callback has just changed)."""
    await session.execute(
        update(ResultDelivery)
        .where(ResultDelivery.client_id == client_id, ResultDelivery.delivered_at.is_(None))
        .values(next_attempt_at=now)
    )


async def stored_platform(session: AsyncSession, client_id: str) -> HotlinePlatform:
    await session.flush()
    stored = await session.get(HotlinePlatform, client_id, populate_existing=True)
    assert stored is not None
    return stored


async def platforms_within(session: AsyncSession, prefix: str) -> Sequence[HotlinePlatform]:
    """The platforms whose region is inside `prefix`; all of them, those of unknown region too, for ""."""
    stmt = select(HotlinePlatform).order_by(HotlinePlatform.client_id)
    if prefix != "":
        stmt = stmt.where(HotlinePlatform.region_code.startswith(prefix, autoescape=True))
    return (await session.scalars(stmt)).all()


async def deliveries_to(
    session: AsyncSession,
    client_id: str,
    complaint_id: str | None,
    state: Literal["pending", "delivered"] | None,
    after: tuple[dt.datetime, str] | None,
    limit: int,
) -> Sequence[ResultDelivery]:
    """Result pushes to a client (of one item, if given), oldest first, after the keyset (created_at, id)."""
    stmt = select(ResultDelivery).where(ResultDelivery.client_id == client_id)
    if complaint_id is not None:
        stmt = stmt.where(ResultDelivery.complaint_id == complaint_id)
    if state is not None:
        pending = ResultDelivery.delivered_at.is_(None)
        stmt = stmt.where(pending if state == "pending" else ~pending)
    if after is not None:
        stmt = stmt.where(
            tuple_(ResultDelivery.created_at, ResultDelivery.id) > tuple_(literal(after[0]), literal(after[1]))
        )
    return (await session.scalars(stmt.order_by(ResultDelivery.created_at, ResultDelivery.id).limit(limit))).all()


async def deliveries_of(session: AsyncSession, complaint_id: str) -> Sequence[ResultDelivery]:
    """The pushes of one item's result (by item: another platform may use the same work order number)."""
    stmt = select(ResultDelivery).where(ResultDelivery.complaint_id == complaint_id)
    return (await session.scalars(stmt.order_by(ResultDelivery.created_at, ResultDelivery.id))).all()


async def attempts_of(session: AsyncSession, delivery_ids: Sequence[str]) -> Sequence[DeliveryAttempt]:
    stmt = select(DeliveryAttempt).where(DeliveryAttempt.delivery_id.in_(delivery_ids)).order_by(DeliveryAttempt.id)
    return (await session.scalars(stmt)).all()
