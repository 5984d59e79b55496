"""Temporary assistance paid once (临时救助, issue 20): `/api/v1/casework/temporary-grants`.

先行救助 by the township where the emergency happened, its explanation afterwards, the county's confirmation or
reclaim, a failed payment issued again, and the lists: a region's grants and those not paid within the clock.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from libs.contracts.clock import business_date
from libs.contracts.region import RegionCodeStr
from libs.kernel.audit_note import note
from libs.kernel.auth import jurisdiction_prefix
from libs.kernel.counts import WorkCounts
from libs.kernel.db import DbSession
from libs.kernel.errors import ACCESS_REFUSALS, documented
from libs.kernel.pagination import DEFAULT_LIMIT, Cursor, Limit, Page, decode_keyset, page_of
from services.casework.context import CaseworkCtx
from services.casework.dependencies import County, Officer, Reader
from services.casework.grants import errors, repository, service
from services.casework.grants.models import Payment, Review, TemporaryGrant
from services.casework.grants.schemas import AdvanceIn, ExplanationIn, GrantOut, ReissueIn, ReviewIn
from services.casework.grants.views import grant_out

router = APIRouter(prefix="/api/v1/casework/temporary-grants", tags=["temporary-grants"])

GrantId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^grant-[0-9a-f-]{36}$")]
_ERRORS = documented(
    *ACCESS_REFUSALS,
    errors.GrantNotFound,
    errors.GrantState,
    errors.SameCauseHelped,
    errors.AboveAdvanceCeiling,
    errors.AboveGrantLimit,
    errors.DiscoveredInFuture,
    errors.DiscoveredTooLongAgo,
    errors.ReclaimReasonRequired,
)


def _out(ctx: CaseworkCtx, grant: TemporaryGrant) -> GrantOut:
    return grant_out(grant, business_date(ctx.now()))


@router.post("", response_model=GrantOut, status_code=201, responses=_ERRORS)
async def grant_advance(
    body: AdvanceIn, response: Response, session: DbSession, ctx: CaseworkCtx, who: Officer
) -> GrantOut:
    """小金额先行救助: granted at once where the emergency happened, within the region's ceiling; finance receives
    the payment order now, the township explains the grant afterwards and the county confirms or reclaims it."""
    grant = await service.grant_advance(session, ctx, who, body)
    note(response, "grant.issued", f"grant/{grant.id}")
    return _out(ctx, grant)


@router.get("", response_model=Page[GrantOut], responses=_ERRORS)
async def list_grants(
    session: DbSession,
    ctx: CaseworkCtx,
    who: Reader,
    region_code: Annotated[RegionCodeStr | None, Query()] = None,
    payment: Payment | None = None,
    review: Review | None = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[GrantOut]:
    """A region's grants, newest first; `payment` and `review` narrow the list (e.g. `review=to_confirm` for the
    county's confirmations)."""
    prefix = jurisdiction_prefix(who, region_code)
    after = decode_keyset(cursor, tuple[dt.datetime, str])
    rows = await repository.grants_in(session, prefix, payment=payment, review=review, after=after, limit=limit)
    return page_of(rows, limit, lambda g: (g.granted_at.isoformat(), g.id), lambda g: _out(ctx, g))


@router.get("/overdue", response_model=Page[GrantOut], responses=_ERRORS)
async def list_overdue(
    session: DbSession,
    ctx: CaseworkCtx,
    who: Reader,
    region_code: Annotated[RegionCodeStr | None, Query()] = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[GrantOut]:
    """Grants not paid although their day (discovery + the region's working days) has passed, longest overdue
    first."""
    prefix = jurisdiction_prefix(who, region_code)
    after = decode_keyset(cursor, tuple[dt.date, str])
    today = business_date(ctx.now())
    rows = await repository.overdue_in(session, prefix, today, after=after, limit=limit)
    return page_of(rows, limit, lambda g: (g.pay_by.isoformat(), g.id), lambda g: _out(ctx, g))


@router.get("/counts", response_model=WorkCounts, responses=_ERRORS)
async def count_grants(
    session: DbSession, ctx: CaseworkCtx, who: Reader, region_code: Annotated[RegionCodeStr | None, Query()] = None
) -> WorkCounts:
    """How many grants there are in your jurisdiction (or `region_code` in it) by review state (`explanation_due`,
    `to_confirm`, …), and how many are unpaid past their day."""
    prefix = jurisdiction_prefix(who, region_code)
    return await repository.counts(session, prefix, business_date(ctx.now()))


@router.get("/{grant_id}", response_model=GrantOut, responses=_ERRORS)
async def get_grant(grant_id: GrantId, session: DbSession, ctx: CaseworkCtx, who: Reader) -> GrantOut:
    """One grant: its payment, its clock and its review."""
    return _out(ctx, await service.load(session, who, grant_id))


@router.post("/{grant_id}/explanation", response_model=GrantOut, responses=_ERRORS)
async def explain(
    grant_id: GrantId, body: ExplanationIn, session: DbSession, ctx: CaseworkCtx, who: Officer
) -> GrantOut:
    """事后补充说明情况: the township's account of an advance, for the county to confirm."""
    return _out(ctx, await service.explain(session, ctx, who, grant_id, body))


@router.post("/{grant_id}/review", response_model=GrantOut, responses=_ERRORS)
async def review_grant(
    grant_id: GrantId, body: ReviewIn, session: DbSession, ctx: CaseworkCtx, who: County
) -> GrantOut:
    """The county confirms an explained advance, or reclaims it with its reason (what was paid is recovered)."""
    return _out(ctx, await service.review(session, ctx, who, grant_id, body))


@router.post("/{grant_id}/reissue", response_model=GrantOut, responses=_ERRORS)
async def reissue(
    grant_id: GrantId, body: ReissueIn, response: Response, session: DbSession, ctx: CaseworkCtx, who: Officer
) -> GrantOut:
    """After the bank refused the payment: the grant again, to a corrected account."""
    grant = await service.reissue(session, ctx, who, grant_id, body)
    note(response, "grant.reissued", f"grant/{grant.id}")
    return _out(ctx, grant)
