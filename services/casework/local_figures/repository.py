"""Reading the figures in force (DOMAIN.md §12): the rows that may apply come from one query, and
`figures.rows_in_force` picks, figure by figure, the most specific prefix in force."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.casework.local_figures.figures import Standards, rows_in_force, standards_of
from services.casework.local_figures.models import StandardFigure


async def figure_rows_in_force(session: AsyncSession, region_code: str, day: dt.date) -> list[StandardFigure]:
    """For each figure name, the row of the most specific prefix of `region_code` in force on `day`."""
    stmt = select(StandardFigure).where(
        literal(region_code).startswith(StandardFigure.region_prefix), StandardFigure.effective_from <= day
    )
    return list(rows_in_force((await session.scalars(stmt)).all(), region_code).values())


async def standards_in_force(session: AsyncSession, region_code: str, day: dt.date) -> Standards:
    return Standards.of({row.name: row.value for row in await figure_rows_in_force(session, region_code, day)})


@dataclass(frozen=True)
class AreaStandards:
    """The rows in force on a day for an area, its parents and every region under it: any region of the area is
    resolved without another query (lists over all the villages of a county)."""

    rows: tuple[StandardFigure, ...]

    def for_region(self, region_code: str) -> Standards:
        return standards_of(self.rows, region_code)


async def standards_in_area(session: AsyncSession, prefix: str, day: dt.date) -> AreaStandards:
    stmt = select(StandardFigure).where(
        StandardFigure.effective_from <= day,
        or_(
            literal(prefix).startswith(StandardFigure.region_prefix),
            StandardFigure.region_prefix.startswith(prefix, autoescape=True),
        ),
    )
    return AreaStandards(tuple((await session.scalars(stmt)).all()))
