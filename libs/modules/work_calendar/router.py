"""Staff API of a service's working-day calendar: `/api/v1/<service>/calendar/{year}`."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path
from sqlalchemy import Table

from libs.contracts.calendar import InvalidSchedule, WorkCalendar, YearSchedule
from libs.contracts.staff import StaffRole
from libs.kernel.auth import CurrentPrincipal, Principal, require_roles
from libs.kernel.db import DbSession
from libs.modules.work_calendar.errors import refusal
from libs.modules.work_calendar.repository import store_schedule, stored_schedule
from libs.modules.work_calendar.schemas import YearScheduleIn, YearScheduleOut
from libs.modules.work_calendar.views import schedule_out

Year = Annotated[int, Path(ge=2000, le=2100)]
AdminOnly = Annotated[Principal, Depends(require_roles(StaffRole.system_admin))]


def calendar_router(service: str, table: Table) -> APIRouter:
    router = APIRouter(prefix=f"/api/v1/{service}/calendar", tags=["calendar"])

    @router.get(
        "/{year}",
        response_model=YearScheduleOut,
        responses={401: {"description": "Not signed in"}, 422: {"description": "A year outside 2000–2100"}},
    )
    async def get_year(year: Year, session: DbSession, _: CurrentPrincipal) -> YearScheduleOut:
        """The holiday schedule deadlines of `year` are computed with; `provisional` if none is loaded."""
        stored = await stored_schedule(session, table, year)
        if stored is not None:
            return schedule_out(year, stored, loaded=True)
        return schedule_out(year, WorkCalendar.seeded().schedule(year), loaded=False)

    @router.put(
        "/{year}",
        response_model=YearScheduleOut,
        responses={
            403: {"description": "Not a system administrator"},
            422: {"description": "A schedule that contradicts itself (a day off and working, a weekday make-up day)"},
        },
    )
    async def put_year(year: Year, body: YearScheduleIn, session: DbSession, admin: AdminOnly) -> YearScheduleOut:
        """Load (or correct) the State Council schedule of `year` (system administrators)."""
        try:
            schedule = YearSchedule.of(year, body.holidays, body.makeup_workdays, body.source)
        except InvalidSchedule as error:
            raise refusal(error) from None
        await store_schedule(session, table, schedule, at=datetime.now(UTC), by=admin.subject)
        return schedule_out(year, schedule, loaded=True)

    return router
