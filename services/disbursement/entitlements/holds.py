"""Holds (DOMAIN.md §9): placed and released, each by whom and why."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.clock import business_date
from services.disbursement.context import Disbursement
from services.disbursement.entitlements.models import Entitlement, Hold, HoldKind
from services.disbursement.months import month_containing


async def active(session: AsyncSession, household_id: str, kind: HoldKind | None = None) -> list[Hold]:
    stmt = select(Hold).where(Hold.household_id == household_id, Hold.released_at.is_(None))
    if kind is not None:
        stmt = stmt.where(Hold.kind == kind.value)
    return list((await session.scalars(stmt.order_by(Hold.created_at, Hold.id))).all())


async def ensure(
    session: AsyncSession,
    ctx: Disbursement,
    *,
    household_id: str,
    county_code: str,
    kind: HoldKind,
    reason: str,
    by: str,
    program: str | None = None,
    person_hash: str | None = None,
    from_month: dt.date | None = None,
) -> Hold:
    """The active hold of this kind (and person), or a new one."""
    for hold in await active(session, household_id, kind):
        if hold.person_hash == person_hash and hold.program == program:
            return hold
    hold = Hold(
        id=str(uuid.uuid4()),
        household_id=household_id,
        county_code=county_code,
        program=program,
        kind=kind.value,
        reason=reason[:2000],
        person_hash=person_hash,
        from_month=from_month,
        created_at=ctx.now(),
        created_by=by,
    )
    session.add(hold)
    await session.flush()
    return hold


async def release(session: AsyncSession, ctx: Disbursement, hold: Hold, *, by: str, reason: str) -> None:
    """The months the hold kept back become owed again: the household's entitlements are looked at from the month the
    hold was placed, and what was not sent is paid as arrears."""
    hold.released_at = ctx.now()
    hold.released_by = by
    hold.release_reason = reason[:2000]
    since = month_containing(business_date(hold.created_at))
    since = min(since, hold.from_month) if hold.from_month else since
    for ent in await session.scalars(select(Entitlement).where(Entitlement.household_id == hold.household_id)):
        if hold.program is None or hold.program == ent.program:
            ent.dirty_from = since if ent.dirty_from is None else min(ent.dirty_from, since)
            ent.changed_at = ctx.now()


async def release_kind(
    session: AsyncSession, ctx: Disbursement, household_id: str, kind: HoldKind, *, by: str, reason: str
) -> int:
    holds = await active(session, household_id, kind)
    for hold in holds:
        await release(session, ctx, hold, by=by, reason=reason)
    return len(holds)
