"""Reading temporary grants: a region's list, newest first, and the clock's list of grants not paid in time."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from libs.kernel.counts import WorkCounts, counted
from services.casework.grants.models import Payment, Review, TemporaryGrant


async def grants_in(
    session: AsyncSession,
    prefix: str,
    *,
    payment: Payment | None,
    review: Review | None,
    after: tuple[dt.datetime, str] | None,
    limit: int,
) -> list[TemporaryGrant]:
    stmt = select(TemporaryGrant).where(func.starts_with(TemporaryGrant.region_code, prefix))
    if payment is not None:
        stmt = stmt.where(TemporaryGrant.payment == payment.value)
    if review is not None:
        stmt = stmt.where(TemporaryGrant.review == review.value)
    if after is not None:
        at, last = after
        stmt = stmt.where(
            (TemporaryGrant.granted_at < at) | ((TemporaryGrant.granted_at == at) & (TemporaryGrant.id > last))
        )
    return await _rows(session, stmt.order_by(TemporaryGrant.granted_at.desc(), TemporaryGrant.id), limit)


async def overdue_in(
    session: AsyncSession, prefix: str, today: dt.date, *, after: tuple[dt.date, str] | None, limit: int
) -> list[TemporaryGrant]:
    """Grants not paid although their day passed, the longest overdue first (the overdue list of the clock)."""
    stmt = select(TemporaryGrant).where(
        func.starts_with(TemporaryGrant.region_code, prefix),
        TemporaryGrant.payment != Payment.PAID.value,
        TemporaryGrant.pay_by < today,
    )
    if after is not None:
        day, last = after
        stmt = stmt.where((TemporaryGrant.pay_by > day) | ((TemporaryGrant.pay_by == day) & (TemporaryGrant.id > last)))
    return await _rows(session, stmt.order_by(TemporaryGrant.pay_by, TemporaryGrant.id), limit)


async def counts(session: AsyncSession, prefix: str, today: dt.date) -> WorkCounts:
    """Grants in the region by review state (explanations and confirmations to do), and those unpaid past their day."""
    overdue = (TemporaryGrant.payment != Payment.PAID.value) & (TemporaryGrant.pay_by < today)
    return await counted(session, TemporaryGrant.review, func.starts_with(TemporaryGrant.region_code, prefix), overdue)


async def _rows(session: AsyncSession, stmt: Select[TemporaryGrant], limit: int) -> list[TemporaryGrant]:
    return list((await session.scalars(stmt.limit(limit + 1))).all())
