"""The public page (信息公开): `/api/v1/casework/public[/{county_code}[/posting]]`, read by anyone.

The gateway passes these paths without a token (gateway.routes.PUBLIC_PATHS, rate-limited per address) and forwards
its anonymous principal (libs.kernel.auth.ANONYMOUS); a signed principal is still required here, so the service
answers only what came through the gateway. Nothing here depends on who asks: staff see the same page.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from libs.contracts.clock import business_date
from libs.kernel.auth import CurrentPrincipal
from libs.kernel.db import DbSession
from libs.kernel.errors import documented
from services.casework.context import CaseworkCtx
from services.casework.public import service
from services.casework.public.errors import CountyNotPublic
from services.casework.public.schemas import PublicCounties, PublicCounty, PublicPosting

router = APIRouter(prefix="/api/v1/casework/public", tags=["public"])

County = Annotated[str, Path(pattern=r"^[0-9]{6}$")]
_ERRORS = documented(CountyNotPublic, notes={422: "Invalid county code or page"})
# 1000 pages of 50 households: a county of 50,000 recipient households, beyond any county's roll.
MAX_PAGE = 1000


@router.get("", response_model=PublicCounties, responses={401: {"description": "Not through the gateway"}})
async def public_counties(session: DbSession, _: CurrentPrincipal) -> PublicCounties:
    """The counties with a public page, by code (at most `MAX_COUNTIES`)."""
    return PublicCounties(items=await service.counties(session))


@router.get("/{county_code}", response_model=PublicCounty, responses=_ERRORS)
async def public_county(county_code: County, session: DbSession, ctx: CaseworkCtx, _: CurrentPrincipal) -> PublicCounty:
    """The standards in force today, the figures of how to apply, and the complaint line."""
    return await service.county_page(session, county_code, business_date(ctx.now()))


@router.get("/{county_code}/posting", response_model=PublicPosting, responses=_ERRORS)
async def public_posting(
    county_code: County,
    session: DbSession,
    ctx: CaseworkCtx,
    _: CurrentPrincipal,
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
) -> PublicPosting:
    """One page of the standing posting (长期公示): masked names, place, program, persons, amount; never a child."""
    return await service.posting_page(session, ctx, county_code, page, business_date(ctx.now()))
