"""`GET /api/v1/regions` (any staff member: names are not personal data) and `PUT /api/v1/admin/regions/{region_code}`
(an administrator, inside their jurisdiction, recorded as an administrative act)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Path, Query, Request
from pydantic import BaseModel, ConfigDict, StringConstraints

from gateway.audit.actions import AdminActionKind, record_action
from gateway.auth.dependencies import AdminCaller, CurrentCaller
from gateway.auth.errors import StaffOnly
from gateway.regions import repository
from libs.contracts.text import CleanLine
from libs.kernel.auth import PrincipalKind, ensure_jurisdiction
from libs.kernel.db import DbSession
from libs.kernel.errors import PROBLEM, request_id_of

RegionCode = Annotated[str, Path(pattern=r"^([0-9]{2}|[0-9]{4}|[0-9]{6}|[0-9]{9}|[0-9]{12})$")]
Prefix = Annotated[str, Query(pattern=r"^[0-9]{2,12}$", description="Every named region whose code starts so")]
# A city's villages fit; a request for more is refused by the pattern (at least a province prefix) and cut here.
MAX_LISTED = 20_000


class RegionName(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[CleanLine, StringConstraints(min_length=1, max_length=40)]


class RegionOut(BaseModel):
    code: str
    name: str


router = APIRouter(tags=["regions"])


@router.get(
    "/api/v1/regions",
    response_model=list[RegionOut],
    responses={401: {"description": "No or invalid access token", **PROBLEM}, 422: PROBLEM},
)
async def list_regions(session: DbSession, caller: CurrentCaller, under: Prefix) -> list[RegionOut]:
    """The named regions under a code prefix (the region itself included), by code."""
    if caller.principal.kind is not PrincipalKind.staff:
        raise StaffOnly("Region names are for staff")
    return [RegionOut(code=r.code, name=r.name) for r in await repository.named_under(session, under, MAX_LISTED)]


@router.put(
    "/api/v1/admin/regions/{region_code}",
    response_model=RegionOut,
    responses={403: {"description": "Not an administrator of this region", **PROBLEM}, 422: PROBLEM},
)
async def name_region(
    region_code: RegionCode,
    body: RegionName,
    request: Request,
    session: DbSession,
    admin: AdminCaller,
    background: BackgroundTasks,
) -> RegionOut:
    """Name a county, township or village inside your jurisdiction (a new name replaces the old one)."""
    principal, code = admin.principal, region_code
    ensure_jurisdiction(principal, code)
    by = (principal.display_name or principal.name)[:100]
    await repository.name(session, code, body.name, by)
    await record_action(session, principal, AdminActionKind.region_named, target_kind="region", target_id=code,
                        target_name=body.name, region_code=code, request_id=request_id_of(request))  # fmt: skip
    # After the response, so after the commit: the services have the new name within moments, not at the next poll.
    background.add_task(request.app.state.runtime.region_names.wake)
    return RegionOut(code=code, name=body.name)
