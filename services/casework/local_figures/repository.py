"""Reading the figures in force (DOMAIN.md §12): the rows that may apply come from one query, and
`figures.rows_in_force` picks, figure by figure, the most specific prefix in force."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import or_, select, tuple_
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from libs.modules.local_figures import prefixes_of
from services.casework.local_figures.figures import Standards, rows_in_force, standards_of
from services.casework.local_figures.models import StandardFigure


async def figure_rows_in_force(session: AsyncSession, region_code: str, day: dt.date) -> list[StandardFigure]:
    """For each figure name, the row of the most specific prefix of `region_code` in force on `day`."""
    stmt = select(StandardFigure).where(
        StandardFigure.region_prefix.in_(prefixes_of(region_code)), StandardFigure.effective_from <= day
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
            StandardFigure.region_prefix.in_(prefixes_of(prefix)),
            StandardFigure.region_prefix.startswith(prefix, autoescape=True),
        ),
    )
    return AreaStandards(tuple((await session.scalars(stmt)).all()))


async def add_new(
    session: AsyncSession,
    region_prefix: str,
    effective_from: dt.date,
    values: Mapping[str, object],
    created_by: str,
    created_at: dt.datetime,
) -> list[StandardFigure]:
    """Insert the figures; those already set for the prefix and date are left as they were and not returned."""
    rows = [
        {
            "region_prefix": region_prefix,
            "effective_from": effective_from,
            "name": name,
            "value": value,
            "created_by": created_by,
            "created_at": created_at,
        }
        for name, value in values.items()
    ]
    stmt = (
        pg_insert(StandardFigure)
        .values(rows)
        .on_conflict_do_nothing(constraint="uq_standards_prefix_from_name")
        .returning(StandardFigure)
    )
    return list((await session.scalars(stmt)).all())


async def search(
    session: AsyncSession, scope: str, name: str | None, after: tuple[str, dt.date, str] | None, limit: int
) -> Sequence[StandardFigure]:
    """Rows set inside `scope` plus the wider rows that apply to it, by prefix, date and figure (`limit + 1`)."""
    stmt = select(StandardFigure).where(
        or_(
            StandardFigure.region_prefix.startswith(scope, autoescape=True),
            StandardFigure.region_prefix.in_(prefixes_of(scope)),
        )
    )
    if name is not None:
        stmt = stmt.where(StandardFigure.name == name)
    if after is not None:
        stmt = stmt.where(
            tuple_(StandardFigure.region_prefix, StandardFigure.effective_from, StandardFigure.name) > tuple_(*after)
        )
    order = (StandardFigure.region_prefix, StandardFigure.effective_from, StandardFigure.name)
    return (await session.scalars(stmt.order_by(*order).limit(limit + 1))).all()
