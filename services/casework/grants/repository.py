"""Reading temporary grants: a region's list, newest first, and the clock's list of grants not paid in time."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from libs.kernel.counts import WorkCounts, counted
from libs.kernel.pagination import keyset_page
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
    stmt = keyset_page(stmt, (TemporaryGrant.granted_at.desc(), TemporaryGrant.id), after, limit)
    return list((await session.scalars(stmt)).all())


async def overdue_in(
    session: AsyncSession, prefix: str, today: dt.date, *, after: tuple[dt.date, str] | None, limit: int
) -> list[TemporaryGrant]:
    """Grants not paid although their day passed, the longest overdue first (the overdue list of the clock)."""
    stmt = select(TemporaryGrant).where(
        func.starts_with(TemporaryGrant.region_code, prefix),
        TemporaryGrant.payment != Payment.PAID.value,
        TemporaryGrant.pay_by < today,
    )
    stmt = keyset_page(stmt, (TemporaryGrant.pay_by, TemporaryGrant.id), after, limit)
    return list((await session.scalars(stmt)).all())


async def counts(session: AsyncSession, prefix: str, today: dt.date) -> WorkCounts:
    """Grants in the region by review state (explanations and confirmations to do), and those unpaid past their day."""
    overdue = (TemporaryGrant.payment != Payment.PAID.value) & (TemporaryGrant.pay_by < today)
    return await counted(session, TemporaryGrant.review, func.starts_with(TemporaryGrant.region_code, prefix), overdue)
