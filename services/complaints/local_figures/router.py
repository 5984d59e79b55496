"""Staff API of the local complaint figures: `/api/v1/complaints/policies` (DOMAIN.md §6, §12)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy import literal, select
from sqlalchemy.exc import IntegrityError

from libs.contracts.dates import CivilDate
from libs.kernel.auth import ensure_jurisdiction
from libs.kernel.db import DbSession
from services.complaints.context import ComplaintsCtx
from services.complaints.dependencies import County, Reader
from services.complaints.local_figures.errors import NoPolicy, PolicyExists
from services.complaints.local_figures.models import ComplaintPolicy
from services.complaints.local_figures.repository import policy_in_force
from services.complaints.local_figures.schemas import PolicyIn, PolicyOut

router = APIRouter(prefix="/api/v1/complaints/policies", tags=["complaint policies"])
RegionQuery = Annotated[str, Query(pattern=r"^[0-9]{6,12}$")]


def _out(p: ComplaintPolicy) -> PolicyOut:
    return PolicyOut(
        policy_id=p.id,
        region_prefix=p.region_prefix,
        effective_from=p.effective_from,
        reply_days=p.reply_days,
        repeat_window_days=p.repeat_window_days,
        created_by=p.created_by,
        created_at=p.created_at,
    )


@router.post("", response_model=PolicyOut, status_code=201, responses={403: {}, 409: {}, 422: {}})
async def add_policy(body: PolicyIn, session: DbSession, ctx: ComplaintsCtx, who: County) -> PolicyOut:
    """Set a region's figures from a date (county officers for their county, administrators anywhere)."""
    ensure_jurisdiction(who, body.region_prefix)
    policy = ComplaintPolicy(**body.model_dump(), created_by=who.subject, created_at=ctx.now())
    try:
        async with session.begin_nested():
            session.add(policy)
    except IntegrityError:
        raise PolicyExists(
            f"{body.region_prefix or 'The nation'} already has figures from {body.effective_from}; figures are "
            "kept, so add them from another date",
        ) from None
    return _out(policy)


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
    policy = await policy_in_force(session, region_code, on or ctx.today())
    if policy is None:
        raise NoPolicy("No figures are in force")
    return _out(policy)


@router.get("", response_model=list[PolicyOut], responses={403: {}})
async def list_policies(session: DbSession, who: Reader, region_code: RegionQuery) -> list[PolicyOut]:
    """Every set of figures bearing on `region_code` (its own and its parents', the national default included)."""
    ensure_jurisdiction(who, region_code)
    stmt = (
        select(ComplaintPolicy)
        .where(literal(region_code).startswith(ComplaintPolicy.region_prefix))
        .order_by(ComplaintPolicy.region_prefix, ComplaintPolicy.effective_from)
    )
    return [_out(p) for p in (await session.execute(stmt)).scalars().all()]
