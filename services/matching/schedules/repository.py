"""Reading each source's schedule (a source without a row runs on its default, services/matching/sources.py)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.matching.schedules.models import SourceSchedule


async def schedules_by_source(session: AsyncSession, *, lock: bool = False) -> dict[str, SourceSchedule]:
    query = select(SourceSchedule)
    if lock:
        query = query.with_for_update()
    return {s.source: s for s in await session.scalars(query)}


async def schedule(session: AsyncSession, source: str) -> SourceSchedule | None:
    """The schedule row of `source`, locked for a change."""
    return await session.get(SourceSchedule, source, with_for_update=True)
