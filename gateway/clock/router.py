"""`/api/v1/admin/clock`: the training clock (issue 21), read and moved by a national system administrator.

Outside production only: the business date of the whole system moves forward by whole days, so a test, a benchmark or
a training session walks a procedure through publicity, deadlines and review dates by the API instead of editing
tables. Every change is an administrative act (gateway.admin_actions) written with it; gateway.clock.delivery says how
it reaches the services.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt

from gateway.audit.actions import AdminActionKind, record_action
from gateway.auth.dependencies import AdminCaller
from gateway.auth.schemas import Reason
from gateway.clock.delivery import ServiceClock, current_setting
from gateway.clock.models import TrainingClockSetting
from gateway.runtime import Runtime, get_runtime
from libs.contracts.clock import business_date
from libs.kernel.auth import Principal
from libs.kernel.errors import PROBLEM, Conflict, OutsideJurisdiction, request_id_of
from libs.kernel.settings import Environment
from libs.kernel.training_clock import MAX_OFFSET_DAYS, ClockFixedInProduction, effective_offset_days

RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "No or invalid access token", **PROBLEM},
    403: {"description": "Not a system_admin of the whole country", **PROBLEM},
    409: {"description": "clock_fixed_in_production, or clock_backwards without `rewind`", **PROBLEM},
    422: {"description": "Invalid input", **PROBLEM},
}

clock_router = APIRouter(prefix="/api/v1/admin/clock", tags=["admin"], responses=_ERRORS)


class ClockBackwards(Conflict):
    code = "clock_backwards"


class ClockChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # Days ahead of the real calendar; never behind it (a business date before today would undo real deadlines).
    offset_days: StrictInt = Field(ge=0, le=MAX_OFFSET_DAYS)
    reason: Reason
    # A lower offset moves the business date back: meant only for ending a test or a training session, so it is
    # said in so many words and recorded as such.
    rewind: StrictBool = False


class ClockOut(BaseModel):
    environment: str
    offset_days: int
    version: int
    business_date: date  # the gateway's: the real date in China plus the offset
    set_at: datetime | None
    set_by: str | None
    # Each service's API process's own account (None: it did not answer); its workers follow within a second.
    services: dict[str, ServiceClock | None]


def _national(admin: Principal) -> None:
    if admin.region_prefix != "":
        raise OutsideJurisdiction("The training clock moves every region's date: only a national system_admin may")


async def _out(rt: Runtime, row: TrainingClockSetting, admin: Principal) -> ClockOut:
    offset = effective_offset_days(rt.settings.environment, row.offset_days)
    return ClockOut(
        environment=rt.settings.environment.value,
        offset_days=offset,
        version=row.version,
        business_date=business_date(datetime.now(UTC) + timedelta(days=offset)),
        set_at=row.set_at if row.version else None,
        set_by=str(row.actor.get("name")) if row.version and row.actor else None,
        services=await rt.clock.applied(admin),
    )


_READ_PROBLEMS: dict[int | str, dict[str, object]] = {
    401: {"description": "No or invalid access token", **PROBLEM},
    403: {"description": "Not a national system administrator", **PROBLEM},
}
_SET_PROBLEMS: dict[int | str, dict[str, object]] = {
    **_READ_PROBLEMS,
    409: {"description": "Production (the real calendar), or a move back without `rewind`", **PROBLEM},
    422: PROBLEM,
}


@clock_router.get("", response_model=ClockOut, responses=_READ_PROBLEMS)
async def read_clock(admin: AdminCaller, rt: RuntimeDep) -> ClockOut:
    """The training clock: the offset set here, and the one each service applies."""
    _national(admin.principal)
    async with rt.db.sessions.begin() as session:
        row = await current_setting(session)
    return await _out(rt, row, admin.principal)


@clock_router.put("", response_model=ClockOut, responses=_SET_PROBLEMS)
async def set_clock(body: ClockChange, request: Request, admin: AdminCaller, rt: RuntimeDep) -> ClockOut:
    """Move the whole system's business date `offset_days` ahead of the real calendar (0 to 400; refused in
    production). A lower offset than the current one needs `rewind: true`. The services have it when this answers,
    unless one is down: it gets it as soon as it is back."""
    _national(admin.principal)
    if rt.settings.environment is Environment.production:
        raise ClockFixedInProduction("The business date follows the real calendar in production")
    async with rt.db.sessions.begin() as session:
        row = await current_setting(session, lock=True)
        before = row.offset_days
        if body.offset_days != before:
            if body.offset_days < before and not body.rewind:
                raise ClockBackwards(
                    f"The clock stands {before} days ahead; moving it back to {body.offset_days} needs rewind: true"
                )
            row.offset_days, row.version = body.offset_days, row.version + 1
            row.set_at, row.actor, row.reason = datetime.now(UTC), admin.principal.to_claims(), body.reason
            kind = AdminActionKind.clock_rewound if body.offset_days < before else AdminActionKind.clock_moved
            await record_action(session, admin.principal, kind, target_kind="clock", target_id="training-clock",
                                target_name="training clock", region_code="", reason=body.reason,
                                detail={"from_days": before, "to_days": body.offset_days, "version": row.version},
                                request_id=request_id_of(request))  # fmt: skip
    await rt.clock.deliver()
    return await _out(rt, row, admin.principal)
