"""Casework's monthly figures: counted live from the registry, or added up from the rows kept per village.

A month built (`build_month`: nightly for the month so far, once more after its end) answers from its stored rows,
a few thousand for a city; a month never built is counted live, which a county's registry answers in seconds at
most (bench/RESULTS.md, "Statistics").
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, cast, delete, func, literal, select, true
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.clock import business_date
from libs.contracts.period import Period
from libs.contracts.statistics.casework import DERIVED, LABELS
from libs.modules.figures_tally import Scope, Tally
from services.casework.statistics import queries
from services.casework.statistics.models import MonthlyFigureBuild, MonthlyFigureRow

SUMMED = tuple(k for k in LABELS if k not in DERIVED)
VILLAGE = 12


async def live(session: AsyncSession, scope: Scope) -> Tally:
    tally = Tally(scope, SUMMED)
    tally.add(await queries.program_rows(session, scope))
    tally.add(await queries.case_rows(session, scope))
    tally.add(await queries.village_rows(session, scope))
    return tally


async def stored(session: AsyncSession, scope: Scope) -> Tally | None:
    """The month from its kept rows, if a build covers the region; None if none does."""
    built = select(MonthlyFigureBuild.built_at).where(
        MonthlyFigureBuild.month == str(scope.month),
        literal(scope.region).startswith(MonthlyFigureBuild.region_prefix),
    )
    if (await session.scalars(built.limit(1))).first() is None:
        return None
    # Added up in the database: a city's 5,000 villages are one grouped pass over their (key, value) pairs.
    pairs = func.jsonb_each_text(MonthlyFigureRow.figures).table_valued("key", "value").render_derived()
    area = scope.area(MonthlyFigureRow.area_code)
    sums = (
        select(area, pairs.c.key, func.sum(cast(pairs.c.value, BigInteger)))
        .select_from(MonthlyFigureRow)
        .join(pairs, true())
        .where(MonthlyFigureRow.month == str(scope.month), scope.within(MonthlyFigureRow.area_code))
        .group_by(area, pairs.c.key)
    )
    tally = Tally(scope, SUMMED)
    tally.add((code, key, value) for code, key, value in await session.execute(sums))
    return tally


async def build_month(session: AsyncSession, month: Period, region_prefix: str, now: dt.datetime) -> int:
    """Counts the month live for every village under `region_prefix` and keeps the rows (replacing those kept
    before); the number of rows kept."""
    scope = Scope(month, region_prefix, VILLAGE)
    tally = await live(session, scope)
    await session.execute(
        delete(MonthlyFigureRow).where(MonthlyFigureRow.month == str(month), scope.within(MonthlyFigureRow.area_code))
    )
    # Only the figures that are not 0: most villages have a few of the programs.
    rows = [
        {"month": str(month), "area_code": a, "figures": {k: v for k, v in f.items() if v}}
        for a, f in tally.by_area.items()
        if any(f.values())
    ]
    for start in range(0, len(rows), 5000):
        await session.execute(insert(MonthlyFigureRow).values(rows[start : start + 5000]))
    mark = insert(MonthlyFigureBuild).values(month=str(month), region_prefix=region_prefix, built_at=now)
    await session.execute(mark.on_conflict_do_update(index_elements=["month", "region_prefix"], set_={"built_at": now}))
    return len(rows)


async def build_due(session: AsyncSession, today: dt.date, now: dt.datetime) -> list[Period]:
    """The nightly build: the month so far, and the month before until it has been built after its end."""
    month = Period.of(today)
    built: list[Period] = []
    previous = month.prev()
    closed = await session.scalar(
        select(MonthlyFigureBuild.built_at).where(
            MonthlyFigureBuild.month == str(previous), MonthlyFigureBuild.region_prefix == ""
        )
    )
    if closed is None or Period.of(business_date(closed)) <= previous:
        await build_month(session, previous, "", now)
        built.append(previous)
    await build_month(session, month, "", now)
    return [*built, month]
