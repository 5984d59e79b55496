"""Resolving the figures in force for a region on a day, figure by figure (DOMAIN.md §12)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, literal, select
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.ext.asyncio import AsyncSession

from services.casework.standards.figures import Standards
from services.casework.standards.models import StandardFigure


async def figure_rows_in_force(session: AsyncSession, region_code: str, day: dt.date) -> list[StandardFigure]:
    """For each figure name, the row of the most specific prefix of `region_code` in force on `day`."""
    stmt = (
        select(StandardFigure)
        .where(literal(region_code).startswith(StandardFigure.region_prefix), StandardFigure.effective_from <= day)
        .order_by(
            StandardFigure.name,
            func.length(StandardFigure.region_prefix).desc(),
            StandardFigure.effective_from.desc(),
        )
        .ext(distinct_on(StandardFigure.name))
    )
    return list((await session.scalars(stmt)).all())


async def standards_in_force(session: AsyncSession, region_code: str, day: dt.date) -> Standards:
    values: dict[str, Any] = {row.name: row.value for row in await figure_rows_in_force(session, region_code, day)}
    return Standards.of(values)
