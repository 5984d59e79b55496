"""Rosters for county staff (DOMAIN.md §9): build, check, lock, submit by the 5th, reconcile; one-off batches."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Annotated

from fastapi import APIRouter, Query, Response, status
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.period import BoundedPeriodStr
from libs.kernel.audit_note import note
from libs.kernel.auth import Principal, ensure_jurisdiction, jurisdiction_prefix
from libs.kernel.db import DbSession
from libs.kernel.document_archive import PDF_RESPONSE, pdf_response
from libs.kernel.pagination import Page, Paging
from libs.kernel.region_names import names_for
from services.disbursement.context import Disbursement, DisbursementCtx
from services.disbursement.db import tables
from services.disbursement.dependencies import (
    IdPath,
    Officer,
    PeriodQuery,
    Policy,
    Reader,
    RegionQuery,
    problems,
)
from services.disbursement.months import month_of, period_of
from services.disbursement.rosters import funding_letter, oneoffs, repository, service, views
from services.disbursement.rosters.models import Roster, RosterKind
from services.disbursement.rosters.schemas import (
    FundingLetter,
    LateOut,
    LineFilterQuery,
    OneOffIn,
    OneOffOut,
    ReasonIn,
    RosterIn,
    RosterOut,
    StaffLine,
)

router = APIRouter(prefix="/api/v1/disbursement", tags=["rosters"])
RosterId = IdPath


async def _out(session: DbSession, ctx: Disbursement, roster: Roster) -> RosterOut:
    versions = await repository.ledger_versions(session, [roster.region_code])
    return views.roster_out(roster, today=ctx.today(), ledger_version=versions.get(roster.region_code))


@router.post(
    "/rosters", response_model=RosterOut, status_code=status.HTTP_201_CREATED, responses=problems(403, 409, 422)
)
async def create_roster(session: DbSession, ctx: DisbursementCtx, who: Officer, body: RosterIn) -> RosterOut:
    """Build the county's draft roster for the month from the ledger as it is now."""
    ensure_jurisdiction(who, body.region_code)
    roster = await service.create(session, ctx, body.region_code, month_of(body.period), who)
    return await _out(session, ctx, roster)


@router.get("/rosters", response_model=Page[RosterOut], responses=problems(403, 422))
async def list_rosters(
    session: DbSession,
    ctx: DisbursementCtx,
    who: Reader,
    page: Paging,
    region_code: RegionQuery = None,
    period: PeriodQuery = None,
    status_: Annotated[str | None, Query(alias="status", max_length=32)] = None,
    kind: Annotated[
        RosterKind, Query(description="monthly rosters (the default) or temporary grants' payment orders")
    ] = RosterKind.MONTHLY,
) -> Page[RosterOut]:
    """Newest month first, then by county; monthly rosters unless `kind=temporary` asks for payment orders."""
    prefix = jurisdiction_prefix(who, region_code)
    after = page.after(tuple[str, str])
    where = repository.RosterFilter(prefix, kind, month_of(period) if period else None, status_)
    last = (month_of(after[0]), after[1]) if after is not None else None
    rows = await repository.rosters_in(session, where, after=last, limit=page.limit)
    versions = await repository.ledger_versions(session, {r.region_code for r in rows})
    today = ctx.today()
    return page.of(
        rows,
        lambda r: (period_of(r.period), r.id),
        lambda r: views.roster_out(r, today=today, ledger_version=versions.get(r.region_code)),
    )


@router.get("/rosters/late", response_model=list[LateOut], responses=problems(403, 422))
async def late_rosters(
    session: DbSession,
    ctx: DisbursementCtx,
    who: Reader,
    period: Annotated[BoundedPeriodStr, Query(description="A benefit month, YYYY-MM")],
    region_code: RegionQuery = None,
) -> list[LateOut]:
    """Counties whose roster for the month missed the due day (submitted late, or still not submitted); a city
    supervisor sees the counties of the city."""
    prefix = jurisdiction_prefix(who, region_code)
    return [views.late_out(f, period) for f in await service.late(session, ctx, prefix, month_of(period))]


@router.get("/rosters/{roster_id}", response_model=RosterOut, responses=problems(403, 404))
async def get_roster(session: DbSession, ctx: DisbursementCtx, who: Reader, roster_id: RosterId) -> RosterOut:
    """One roster: its totals by program, its state, whether it is late or outdated."""
    return await _out(session, ctx, await repository.county_roster(session, who, roster_id))


@router.get("/rosters/{roster_id}/funding-letter", response_model=FundingLetter, responses=problems(403, 404))
async def get_funding_letter(session: DbSession, who: Reader, roster_id: RosterId) -> FundingLetter:
    """拨付函: the letter asking finance for the roster's money, with its totals and checksum, and the county by
    name."""
    roster = await repository.county_roster(session, who, roster_id)
    names = await names_for(session, tables.region_names, [roster.region_code])
    return views.funding_letter(roster, names.name(roster.region_code[:6]))


@router.get(
    "/rosters/{roster_id}/funding-letter.pdf",
    response_class=Response,
    responses={**PDF_RESPONSE, **problems(403, 404, 409)},
)
async def print_funding_letter(session: DbSession, who: Reader, roster_id: RosterId) -> Response:
    """资金拨付函 as an A4 PDF to the county's finance bureau: the totals by program and the roster's checksum. Only a
    locked roster has one (409 `funding_letter_not_available` for a draft or a cancelled roster); printed the first
    time it is asked for, numbered and kept with the roster, every reprint is the kept file, byte for byte (its
    sha256 in `X-Content-SHA256`)."""
    doc = await funding_letter.print_letter(session, who, roster_id)
    return pdf_response(doc, f"{doc.title}（{doc.number}）.pdf")


@router.get("/rosters/{roster_id}/lines", response_model=Page[StaffLine], responses=problems(403, 404, 422))
async def list_lines(
    session: DbSession,
    who: Reader,
    roster_id: RosterId,
    where: LineFilterQuery,
    page: Paging,
) -> Page[StaffLine]:
    """The roster's lines in line order, names and account numbers masked."""
    roster = await repository.county_roster(session, who, roster_id)
    after_line_no = page.after_key(int)
    lines = await repository.lines_of(session, roster.id, after_line_no=after_line_no, limit=page.limit, where=where)
    items = await repository.items_of(session, [line.line_id for line in lines[: page.limit]])
    return page.of(lines, lambda line: (line.line_no,), lambda line: views.staff_line(line, items))


@router.post("/rosters/{roster_id}/rebuild", response_model=RosterOut, responses=problems(403, 404, 409))
async def rebuild(session: DbSession, ctx: DisbursementCtx, who: Officer, roster_id: RosterId) -> RosterOut:
    """Build a draft again from the ledger as it is now (after an event made it outdated)."""
    return await _step(session, ctx, who, roster_id, service.rebuild)


@router.post("/rosters/{roster_id}/lock", response_model=RosterOut, responses=problems(403, 404, 409))
async def lock(
    response: Response, session: DbSession, ctx: DisbursementCtx, who: Officer, roster_id: RosterId
) -> RosterOut:
    """Lock a draft built at the ledger's current version: its lines and checksum are fixed, its CSV sealed."""
    return await _step(session, ctx, who, roster_id, service.lock, noted=(response, "roster.locked"))


@router.post("/rosters/{roster_id}/submit", response_model=RosterOut, responses=problems(403, 404, 409))
async def submit(
    response: Response, session: DbSession, ctx: DisbursementCtx, who: Officer, roster_id: RosterId
) -> RosterOut:
    """Send a locked roster to finance, which sees it from now on."""
    return await _step(session, ctx, who, roster_id, service.submit, noted=(response, "roster.submitted"))


@router.post("/rosters/{roster_id}/cancel", response_model=RosterOut, responses=problems(403, 404, 409, 422))
async def cancel(
    session: DbSession, ctx: DisbursementCtx, who: Officer, roster_id: RosterId, body: ReasonIn
) -> RosterOut:
    """Cancel a draft or a locked roster, with the reason; a locked roster's lines count as never sent."""
    return await _step(session, ctx, who, roster_id, partial(service.cancel, reason=body.reason))


@router.post("/rosters/{roster_id}/reconcile", response_model=RosterOut, responses=problems(403, 404, 409))
async def reconcile(session: DbSession, ctx: DisbursementCtx, who: Officer, roster_id: RosterId) -> RosterOut:
    """Check finance's results against a paid roster and close it; failed lines are carried forward."""
    return await _step(session, ctx, who, roster_id, service.reconcile)


Step = Callable[[AsyncSession, Disbursement, Roster, Principal], Awaitable[None]]


async def _step(
    session: DbSession,
    ctx: Disbursement,
    who: Principal,
    roster_id: str,
    step: Step,
    *,
    noted: tuple[Response, str] | None = None,
) -> RosterOut:
    """One step in a roster's life: the roster of the caller's county, locked, is moved on by `step` and shown;
    `noted` is the response and audit event for the steps the audit trail records."""
    roster = await repository.county_roster(session, who, roster_id, lock=True)
    await step(session, ctx, roster, who)
    if noted is not None:
        response, event = noted
        note(response, event, f"roster/{roster.id}")
    return await _out(session, ctx, roster)


@router.post(
    "/one-off-batches", response_model=OneOffOut, status_code=status.HTTP_201_CREATED, responses=problems(403, 422)
)
async def create_one_off(session: DbSession, ctx: DisbursementCtx, who: Policy, body: OneOffIn) -> OneOffOut:
    """A one-off payment (一次性补贴) to every household a program pays in the region that month."""
    return views.one_off_out(await oneoffs.create(session, ctx, body, who))


@router.get("/one-off-batches", response_model=list[OneOffOut], responses=problems(403, 422))
async def list_one_offs(
    session: DbSession, who: Reader, period: PeriodQuery = None, region_code: RegionQuery = None
) -> list[OneOffOut]:
    """Batches that pay in the caller's jurisdiction: set for a region inside it, or for a region containing it."""
    prefix = jurisdiction_prefix(who, region_code)
    month: dt.date | None = month_of(period) if period else None
    return [views.one_off_out(b) for b in await repository.one_off_batches(session, prefix, month)]
