"""The working-day calendar as a table a service owns, with the admin API that loads next year's schedule.

DOMAIN.md §10: the State Council publishes next year's holiday schedule each November; an administrator loads it
here, and deadlines computed from then on use it. Years shipped with the code (`WorkCalendar.seeded()`) need no row;
a stored row for the same year replaces the shipped one (a corrected notice). Each service that computes deadlines
keeps its own copy, because services share no tables (ARCHITECTURE.md decision 3).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel, Field
from sqlalchemy import Column, DateTime, Integer, MetaData, Table, Text, select
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.calendar import InvalidSchedule, WorkCalendar, YearSchedule
from libs.contracts.dates import CivilDate
from libs.contracts.staff import StaffRole
from libs.kernel.auth import CurrentPrincipal, Principal, require_roles
from libs.kernel.db import DbSession
from libs.kernel.errors import Unprocessable


def calendar_years_table(metadata: MetaData) -> Table:
    return Table(
        "calendar_years",
        metadata,
        Column("year", Integer, primary_key=True),
        Column("schedule", JSONB, nullable=False),
        Column("loaded_at", DateTime(timezone=True), nullable=False),
        Column("loaded_by", Text, nullable=False),
    )


async def load_work_calendar(session: AsyncSession, table: Table) -> WorkCalendar:
    """The shipped schedules overlaid with the loaded ones; a handful of rows, so read per use, never stale."""
    rows = (await session.execute(select(table.c.schedule))).scalars().all()
    return WorkCalendar.seeded().with_years(YearSchedule.from_json_dict(row) for row in rows)


class YearScheduleIn(BaseModel):
    holidays: list[CivilDate] = Field(max_length=60, description="Official days off of the year")
    makeup_workdays: list[CivilDate] = Field(max_length=20, description="Weekend days on which offices work (调休)")
    source: str = Field(min_length=1, max_length=500, description="The notice, e.g. 国办发明电〔2026〕x号")


class YearScheduleOut(BaseModel):
    year: int
    holidays: list[date]
    makeup_workdays: list[date]
    source: str
    loaded: bool = Field(description="False: the shipped schedule, or statutory days only (provisional)")
    provisional: bool


def _out(year: int, schedule: YearSchedule | None, loaded: bool) -> YearScheduleOut:
    if schedule is None:
        return YearScheduleOut(year=year, holidays=[], makeup_workdays=[], source="", loaded=False, provisional=True)
    data: dict[str, Any] = schedule.to_json_dict()
    return YearScheduleOut(**data, loaded=loaded, provisional=False)


Year = Annotated[int, Path(ge=2000, le=2100)]
AdminOnly = Annotated[Principal, Depends(require_roles(StaffRole.system_admin))]


def calendar_router(service: str, table: Table) -> APIRouter:
    router = APIRouter(prefix=f"/api/v1/{service}/calendar", tags=["calendar"])

    @router.get("/{year}", response_model=YearScheduleOut)
    async def get_year(year: Year, session: DbSession, _: CurrentPrincipal) -> YearScheduleOut:
        """The holiday schedule deadlines of `year` are computed with; `provisional` if none is loaded."""
        stored = await session.scalar(select(table.c.schedule).where(table.c.year == year))
        if stored is not None:
            return _out(year, YearSchedule.from_json_dict(stored), loaded=True)
        return _out(year, WorkCalendar.seeded().schedule(year), loaded=False)

    @router.put("/{year}", response_model=YearScheduleOut)
    async def put_year(year: Year, body: YearScheduleIn, session: DbSession, admin: AdminOnly) -> YearScheduleOut:
        """Load (or correct) the State Council schedule of `year` (system administrators)."""
        try:
            schedule = YearSchedule.of(year, body.holidays, body.makeup_workdays, body.source)
        except InvalidSchedule as error:
            raise Unprocessable(error.message, code=error.code) from None
        values = {
            "schedule": schedule.to_json_dict(),
            "loaded_at": datetime.now(UTC),
            "loaded_by": admin.subject,
        }
        await session.execute(
            pg_insert(table).values(year=year, **values).on_conflict_do_update(index_elements=["year"], set_=values)
        )
        return _out(year, schedule, loaded=True)

    return router
