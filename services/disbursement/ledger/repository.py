"""Queries of the holds as staff read them: those in a jurisdiction, and one to change."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.disbursement.entitlements.models import Entitlement, Hold, HoldKind
from services.disbursement.ledger.errors import HoldNotFound


async def holds_in(
    session: AsyncSession, prefix: str, *, kind: HoldKind | None, active: bool, after: str | None, limit: int
) -> list[Hold]:
    """A page (and one more) of the holds (active, or released) on households under `prefix`, by id."""
    households = select(Entitlement.household_id).where(Entitlement.region_code.startswith(prefix))
    stmt = select(Hold).where(Hold.county_code.startswith(prefix[:6]), Hold.household_id.in_(households))
    if kind is not None:
        stmt = stmt.where(Hold.kind == kind.value)
    stmt = stmt.where(Hold.released_at.is_(None) if active else Hold.released_at.is_not(None))
    if after is not None:
        stmt = stmt.where(Hold.id > after)
    return list((await session.scalars(stmt.order_by(Hold.id).limit(limit + 1))).all())


async def hold_for_update(session: AsyncSession, hold_id: str) -> Hold:
    hold = await session.get(Hold, hold_id, with_for_update=True)
    if hold is None:
        raise HoldNotFound(f"No hold {hold_id}")
    return hold
