"""Rosters as finance may see them: those of its region, from their submission on."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from libs.kernel.auth import Principal
from services.disbursement.rosters.errors import RosterNotFound
from services.disbursement.rosters.models import FINANCE_VISIBLE, Roster
from services.disbursement.rosters.repository import RosterFilter, narrowed, roster_by_id


async def visible_roster(session: AsyncSession, who: Principal, roster_id: str, *, lock: bool = False) -> Roster:
    """Finance sees a roster of its region from its submission on; anything else does not exist for it."""
    roster = await roster_by_id(session, roster_id, lock=lock)
    if roster is None or roster.status not in FINANCE_VISIBLE or not who.covers(roster.region_code):
        raise RosterNotFound(f"No submitted roster {roster_id}")
    return roster


async def visible_rosters(session: AsyncSession, where: RosterFilter, *, after: str | None, limit: int) -> list[Roster]:
    """A page (and one more) of the submitted rosters the filter keeps (monthly rosters and temporary grants' payment
    orders alike unless its kind says), by id."""
    stmt = narrowed(select(Roster).where(Roster.status.in_(FINANCE_VISIBLE)), where)
    if after is not None:
        stmt = stmt.where(Roster.id > after)
    return list((await session.scalars(stmt.order_by(Roster.id).limit(limit + 1))).all())
