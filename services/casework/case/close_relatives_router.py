"""Staff API of the close-relative register: `/api/v1/casework/close-relatives` (DOMAIN.md §7, seed 002).

It stands with cases, not in relatives/, because filing a relative also flags the relative's open cases."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from libs.kernel.auth import jurisdiction_prefix
from libs.kernel.db import DbSession
from libs.kernel.errors import ACCESS_REFUSALS, FIELD_ERRORS, documented
from libs.kernel.pagination import DEFAULT_LIMIT, Cursor, Limit, Page, decode_keyset, page_of
from services.casework.case import close_relatives
from services.casework.context import CaseworkCtx
from services.casework.dependencies import Officer, Reader
from services.casework.relatives import repository, service
from services.casework.relatives.errors import AlreadyWithdrawn, FilingExists, FilingNotFound, InvalidCursor
from services.casework.relatives.schemas import FilingIn, FilingOut, FilingStatus, WithdrawIn

# A filing id is a bigint: anything larger is not one of ours (a 422, not a database error).
FilingId = Annotated[int, Path(ge=1, le=2**63 - 1)]

router = APIRouter(prefix="/api/v1/casework/close-relatives", tags=["close relatives"])

_ERRORS = documented(*ACCESS_REFUSALS, FilingNotFound, FilingExists, AlreadyWithdrawn, notes=FIELD_ERRORS)


@router.post("", response_model=FilingOut, status_code=201, responses=_ERRORS)
async def file_relative(body: FilingIn, session: DbSession, ctx: CaseworkCtx, who: Officer) -> FilingOut:
    """File a staff member's close relative; the relative's households and open cases are flagged at once and the
    staff member is recused from them. Townships file for staff of their own township, counties for the county."""
    filing = await close_relatives.file(session, ctx, who, body)
    return service.out(ctx, filing)


@router.get("", response_model=Page[FilingOut], responses=_ERRORS)
async def list_filings(
    session: DbSession,
    ctx: CaseworkCtx,
    who: Reader,
    region_code: Annotated[str | None, Query(pattern=r"^([0-9]{2}|[0-9]{4}|[0-9]{6}|[0-9]{9}|[0-9]{12})$")] = None,
    staff_user: Annotated[str | None, Query(min_length=1, max_length=100)] = None,
    status: FilingStatus | None = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[FilingOut]:
    """Filings of staff working inside your jurisdiction (or inside `region_code`), newest first; relatives'
    identity numbers are masked."""
    prefix = jurisdiction_prefix(who, region_code)
    f = repository.FilingFilter(region_prefix=prefix, staff_user=staff_user, status=status)
    after = decode_keyset(cursor, tuple[int])
    after_id = after[0] if after is not None else None
    if after_id is not None and not 1 <= after_id < 2**63:
        raise InvalidCursor("The cursor is not one this endpoint issued")
    rows = await repository.search(session, f, after_id, limit)
    return page_of(rows, limit, key=lambda r: (r.id,), item=lambda r: service.out(ctx, r))


@router.get("/{filing_id}", response_model=FilingOut, responses=_ERRORS)
async def get_filing(filing_id: FilingId, session: DbSession, ctx: CaseworkCtx, who: Reader) -> FilingOut:
    """One filing, the relative's identity number masked."""
    return service.out(ctx, await service.get(session, who, filing_id))


@router.post("/{filing_id}/withdraw", response_model=FilingOut, responses=_ERRORS)
async def withdraw_filing(
    filing_id: FilingId, body: WithdrawIn, session: DbSession, ctx: CaseworkCtx, who: Officer
) -> FilingOut:
    """Withdraw a filing (the staff member left the post, or the relation ended); it stays on record, and the
    recusals it caused stay as history."""
    filing = await service.withdraw(session, ctx, who, filing_id, body.reason)
    return service.out(ctx, filing)
