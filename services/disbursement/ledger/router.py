"""Holds, for staff (DOMAIN.md §9): listed, placed and released."""

from __future__ import annotations

from fastapi import APIRouter, status

from libs.kernel.auth import jurisdiction_prefix
from libs.kernel.db import DbSession
from libs.kernel.pagination import DEFAULT_LIMIT, Cursor, Limit, Page, decode_keyset, page_of
from services.disbursement.context import DisbursementCtx
from services.disbursement.dependencies import IdPath, Officer, Reader, RegionQuery, problems
from services.disbursement.entitlements.models import HoldKind
from services.disbursement.ledger import repository, suspensions, views
from services.disbursement.ledger.schemas import HoldIn, HoldOut, ReleaseIn

router = APIRouter(prefix="/api/v1/disbursement", tags=["ledger"])


@router.get("/holds", response_model=Page[HoldOut], responses=problems(403, 422))
async def list_holds(
    session: DbSession,
    who: Reader,
    region_code: RegionQuery = None,
    kind: HoldKind | None = None,
    active: bool = True,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[HoldOut]:
    """Holds on households in the jurisdiction, newest first."""
    prefix = jurisdiction_prefix(who, region_code)
    after = decode_keyset(cursor, tuple[str])
    rows = await repository.holds_in(
        session, prefix, kind=kind, active=active, after=after[0] if after is not None else None, limit=limit
    )
    return page_of(rows, limit, lambda h: (h.id,), views.hold_out)


@router.post(
    "/holds", response_model=HoldOut, status_code=status.HTTP_201_CREATED, responses=problems(403, 404, 409, 422)
)
async def place_hold(session: DbSession, ctx: DisbursementCtx, who: Officer, body: HoldIn) -> HoldOut:
    """暂停发放: a county suspends a household's payments (all programs, or one) while it checks something."""
    return views.hold_out(await suspensions.suspend(session, ctx, who, body))


@router.post("/holds/{hold_id}/release", response_model=HoldOut, responses=problems(403, 404, 409, 422))
async def release_hold(
    session: DbSession,
    ctx: DisbursementCtx,
    who: Officer,
    hold_id: IdPath,
    body: ReleaseIn,
) -> HoldOut:
    """Ends a suspension, or a death hold found to be a false match (the months after it are paid as arrears). A
    failed-account hold ends when the account is fixed (PUT .../bank-account)."""
    hold = await repository.hold_for_update(session, hold_id)
    await suspensions.release(session, ctx, who, hold, body.reason)
    return views.hold_out(hold)
