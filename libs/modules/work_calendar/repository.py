"""Reading and storing the loaded year schedules."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.calendar import WorkCalendar, YearSchedule


async def load_work_calendar(session: AsyncSession, table: Table) -> WorkCalendar:
    """The shipped schedules overlaid with the loaded ones; a handful of rows, so read per use, never stale."""
    rows = (await session.execute(select(table.c.schedule))).scalars().all()
    return WorkCalendar.seeded().with_years(YearSchedule.from_json_dict(row) for row in rows)


async def stored_schedule(session: AsyncSession, table: Table, year: int) -> YearSchedule | None:
    stored: dict[str, Any] | None = await session.scalar(select(table.c.schedule).where(table.c.year == year))
    return YearSchedule.from_json_dict(stored) if stored is not None else None


async def store_schedule(session: AsyncSession, table: Table, schedule: YearSchedule, *, at: datetime, by: str) -> None:
    """Insert the year, or replace it: a corrected notice supersedes the one loaded before."""
    values = {"schedule": schedule.to_json_dict(), "loaded_at": at, "loaded_by": by}
    await session.execute(
        pg_insert(table)
        .values(year=schedule.year, **values)
        .on_conflict_do_update(index_elements=["year"], set_=values)
    )
