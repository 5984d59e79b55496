"""Staff API of the local complaint figures: `/api/v1/complaints/policies` (DOMAIN.md §6, §12)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from libs.contracts.dates import CivilDate
from libs.kernel.auth import ensure_jurisdiction
from libs.kernel.db import DbSession
from libs.modules.local_figures import RegionQuery
from services.complaints.context import ComplaintsCtx
from services.complaints.dependencies import County, Reader
from services.complaints.local_figures import repository
from services.complaints.local_figures.errors import NoPolicy
from services.complaints.local_figures.models import ComplaintPolicy
from services.complaints.local_figures.schemas import PolicyIn, PolicyOut
from services.complaints.local_figures.views import policy_out

router = APIRouter(prefix="/api/v1/complaints/policies", tags=["complaint policies"])


@router.post("", response_model=PolicyOut, status_code=201, responses={403: {}, 409: {}, 422: {}})
async def add_policy(body: PolicyIn, session: DbSession, ctx: ComplaintsCtx, who: County) -> PolicyOut:
    """Set a region's figures from a date (county officers for their county, administrators anywhere)."""
    ensure_jurisdiction(who, body.region_prefix)
    policy = ComplaintPolicy(**body.model_dump(), created_by=who.subject, created_at=ctx.now())
    return policy_out(await repository.POLICIES.add(session, policy))


@router.get("/in-force", response_model=PolicyOut, responses={403: {}, 404: {}})
async def in_force(
    session: DbSession,
    ctx: ComplaintsCtx,
    who: Reader,
    region_code: RegionQuery,
    on: Annotated[CivilDate | None, Query()] = None,
) -> PolicyOut:
    """The figures that apply to `region_code` on `on` (default today)."""
    ensure_jurisdiction(who, region_code)
    policy = await repository.POLICIES.in_force(session, region_code, on or ctx.today())
    if policy is None:
        raise NoPolicy("No figures are in force")
    return policy_out(policy)


@router.get("", response_model=list[PolicyOut], responses={403: {}})
async def list_policies(session: DbSession, who: Reader, region_code: RegionQuery) -> list[PolicyOut]:
    """Every set of figures bearing on `region_code` (its own and its parents', the national default included)."""
    ensure_jurisdiction(who, region_code)
    return [policy_out(p) for p in await repository.POLICIES.bearing_on(session, region_code)]
