"""Rosters for county staff (DOMAIN.md §9): build, check, lock, submit by the 5th, reconcile; one-off batches."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status
from sqlalchemy import select

from libs.contracts.money import Money
from libs.contracts.period import PeriodStr
from libs.kernel.audit_note import note
from libs.kernel.auth import Principal, ensure_jurisdiction, jurisdiction_prefix
from libs.kernel.db import DbSession
from libs.kernel.errors import NotFound, Unprocessable
from libs.kernel.pagination import DEFAULT_LIMIT, Cursor, Limit, Page, decode_keyset, page_of
from services.disbursement.ceilings import ensure_monthly, ensure_per_person
from services.disbursement.context import Disbursement, DisbursementCtx
from services.disbursement.dependencies import Officer, Policy, Reader
from services.disbursement.finance.views import items_of
from services.disbursement.ledger.models import CountyLedger
from services.disbursement.months import month_of, period_of
from services.disbursement.rosters import oneoffs, service, views
from services.disbursement.rosters.models import OneOffBasis, OneOffBatch, Roster, RosterLine
from services.disbursement.rosters.schemas import (
    FundingLetter,
    LateOut,
    OneOffIn,
    OneOffOut,
    ReasonIn,
    RosterIn,
    RosterOut,
    StaffLine,
)

router = APIRouter(prefix="/api/v1/disbursement", tags=["rosters"])
RosterId = Annotated[str, Path(max_length=64)]
RegionQuery = Annotated[str | None, Query(pattern=r"^[0-9]{2,12}$", description="A region prefix")]
PeriodQuery = Annotated[PeriodStr | None, Query(description="A benefit month, YYYY-MM")]


async def _roster(session: DbSession, who: Principal, roster_id: str, *, lock: bool = False) -> Roster:
    stmt = select(Roster).where(Roster.id == roster_id)
    roster = (await session.scalars(stmt.with_for_update() if lock else stmt)).first()
    if roster is None or not who.covers(roster.region_code):
        raise NotFound(f"No roster {roster_id} in your jurisdiction", code="roster_not_found")
    return roster


async def _out(session: DbSession, ctx: Disbursement, roster: Roster) -> RosterOut:
    version = await session.scalar(select(CountyLedger.version).where(CountyLedger.region_code == roster.region_code))
    return views.roster_out(roster, today=ctx.today(), ledger_version=version)


@router.post("/rosters", response_model=RosterOut, status_code=status.HTTP_201_CREATED)
async def create_roster(session: DbSession, ctx: DisbursementCtx, who: Officer, body: RosterIn) -> RosterOut:
    """Build the county's draft roster for the month from the ledger as it is now."""
    ensure_jurisdiction(who, body.region_code)
    roster = await service.create(session, ctx, body.region_code, month_of(body.period), who)
    return await _out(session, ctx, roster)


@router.get("/rosters", response_model=Page[RosterOut])
async def list_rosters(
    session: DbSession,
    ctx: DisbursementCtx,
    who: Reader,
    region_code: RegionQuery = None,
    period: PeriodQuery = None,
    status_: Annotated[str | None, Query(alias="status", max_length=32)] = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[RosterOut]:
    """Newest month first, then by county."""
    prefix = jurisdiction_prefix(who, region_code)
    stmt = select(Roster).where(Roster.region_code.startswith(prefix))
    if period:
        stmt = stmt.where(Roster.period == month_of(period))
    if status_:
        stmt = stmt.where(Roster.status == status_)
    after = decode_keyset(cursor, tuple[str, str])
    if after is not None:
        month = month_of(after[0])
        stmt = stmt.where((Roster.period < month) | ((Roster.period == month) & (Roster.id > after[1])))
    rows = (await session.scalars(stmt.order_by(Roster.period.desc(), Roster.id).limit(limit + 1))).all()
    versions = {
        c.region_code: c.version
        for c in await session.scalars(
            select(CountyLedger).where(CountyLedger.region_code.in_({r.region_code for r in rows}))
        )
    }
    today = ctx.today()
    return page_of(
        rows,
        limit,
        lambda r: (period_of(r.period), r.id),
        lambda r: views.roster_out(r, today=today, ledger_version=versions.get(r.region_code)),
    )


@router.get("/rosters/late", response_model=list[LateOut])
async def late_rosters(
    session: DbSession,
    ctx: DisbursementCtx,
    who: Reader,
    period: Annotated[PeriodStr, Query(description="A benefit month, YYYY-MM")],
    region_code: RegionQuery = None,
) -> list[LateOut]:
    """Counties whose roster for the month missed the due day (submitted late, or still not submitted)."""
    prefix = jurisdiction_prefix(who, region_code)
    found = await service.late(session, ctx, prefix, month_of(period))
    return [
        LateOut(
            region_code=f.region_code,
            period=period,
            due_date=f.due_date,
            roster_id=f.roster_id,
            status=f.status,
            submitted_on=f.submitted_on,
            days_late=f.days_late,
        )
        for f in found
    ]


@router.get("/rosters/{roster_id}", response_model=RosterOut)
async def get_roster(session: DbSession, ctx: DisbursementCtx, who: Reader, roster_id: RosterId) -> RosterOut:
    return await _out(session, ctx, await _roster(session, who, roster_id))


@router.get("/rosters/{roster_id}/funding-letter", response_model=FundingLetter)
async def get_funding_letter(session: DbSession, who: Reader, roster_id: RosterId) -> FundingLetter:
    return views.funding_letter(await _roster(session, who, roster_id))


@router.get("/rosters/{roster_id}/lines", response_model=Page[StaffLine])
async def list_lines(
    session: DbSession,
    who: Reader,
    roster_id: RosterId,
    line_status: Annotated[str | None, Query(alias="status", max_length=32)] = None,
    household_id: Annotated[str | None, Query(max_length=64)] = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[StaffLine]:
    roster = await _roster(session, who, roster_id)
    stmt = select(RosterLine).where(RosterLine.roster_id == roster.id)
    if line_status:
        stmt = stmt.where(RosterLine.status == line_status)
    if household_id:
        stmt = stmt.where(RosterLine.household_id == household_id)
    after = decode_keyset(cursor, tuple[int])
    if after is not None:
        stmt = stmt.where(RosterLine.line_no > after[0])
    lines = list((await session.scalars(stmt.order_by(RosterLine.line_no).limit(limit + 1))).all())
    items = await items_of(session, [line.line_id for line in lines[:limit]])
    return page_of(lines, limit, lambda line: (line.line_no,), lambda line: views.staff_line(line, items))


@router.post("/rosters/{roster_id}/rebuild", response_model=RosterOut)
async def rebuild(session: DbSession, ctx: DisbursementCtx, who: Officer, roster_id: RosterId) -> RosterOut:
    roster = await _roster(session, who, roster_id, lock=True)
    await service.rebuild(session, ctx, roster, who)
    return await _out(session, ctx, roster)


@router.post("/rosters/{roster_id}/lock", response_model=RosterOut)
async def lock(
    response: Response, session: DbSession, ctx: DisbursementCtx, who: Officer, roster_id: RosterId
) -> RosterOut:
    roster = await _roster(session, who, roster_id, lock=True)
    await service.lock(session, ctx, roster, who)
    note(response, "roster.locked", f"roster/{roster.id}")
    return await _out(session, ctx, roster)


@router.post("/rosters/{roster_id}/submit", response_model=RosterOut)
async def submit(
    response: Response, session: DbSession, ctx: DisbursementCtx, who: Officer, roster_id: RosterId
) -> RosterOut:
    roster = await _roster(session, who, roster_id, lock=True)
    await service.submit(session, ctx, roster, who)
    note(response, "roster.submitted", f"roster/{roster.id}")  # the money goes to finance
    return await _out(session, ctx, roster)


@router.post("/rosters/{roster_id}/cancel", response_model=RosterOut)
async def cancel(
    session: DbSession, ctx: DisbursementCtx, who: Officer, roster_id: RosterId, body: ReasonIn
) -> RosterOut:
    roster = await _roster(session, who, roster_id, lock=True)
    await service.cancel(session, ctx, roster, who, body.reason)
    return await _out(session, ctx, roster)


@router.post("/rosters/{roster_id}/reconcile", response_model=RosterOut)
async def reconcile(session: DbSession, ctx: DisbursementCtx, who: Officer, roster_id: RosterId) -> RosterOut:
    roster = await _roster(session, who, roster_id, lock=True)
    await service.reconcile(session, ctx, roster, who)
    return await _out(session, ctx, roster)


@router.post("/one-off-batches", response_model=OneOffOut, status_code=status.HTTP_201_CREATED)
async def create_one_off(session: DbSession, ctx: DisbursementCtx, who: Policy, body: OneOffIn) -> OneOffOut:
    ensure_jurisdiction(who, body.region_prefix)
    fen = Money.from_str(body.amount).fen
    if fen <= 0:
        raise Unprocessable("A one-off amount is more than zero", code="invalid_amount")
    if body.basis is OneOffBasis.PER_MEMBER:
        ensure_per_person(fen, ["body", "amount"])
    else:
        ensure_monthly(body.program, fen, ["body", "amount"])
    return views.one_off_out(await oneoffs.create(session, ctx, body, who))


@router.get("/one-off-batches", response_model=list[OneOffOut])
async def list_one_offs(
    session: DbSession, who: Reader, period: PeriodQuery = None, region_code: RegionQuery = None
) -> list[OneOffOut]:
    """Batches that pay in the caller's jurisdiction: set for a region inside it, or for a region containing it."""
    prefix = jurisdiction_prefix(who, region_code)
    stmt = select(OneOffBatch).order_by(OneOffBatch.period.desc(), OneOffBatch.created_at)
    if period:
        stmt = stmt.where(OneOffBatch.period == month_of(period))
    batches = (await session.scalars(stmt)).all()
    return [
        views.one_off_out(b)
        for b in batches
        if b.region_prefix.startswith(prefix) or prefix.startswith(b.region_prefix)
    ]
