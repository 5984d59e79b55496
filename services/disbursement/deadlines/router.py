"""Staff API of the payment deadline (seed 001 三(四): "确保 10 日前发放到位"): the figures (`/deadline-figures`;
counties set their own day, cities and provinces theirs for the counties under them, DOMAIN.md §12) and the rosters
and lines finance did not pay by it (`/rosters/unpaid-by-deadline`, `/rosters/{id}/late-lines`), for counties and
their city.

Included before the rosters' router: `/rosters/unpaid-by-deadline` would otherwise be read as a roster's id."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from libs.contracts.period import BoundedPeriodStr
from libs.kernel.auth import ensure_jurisdiction, jurisdiction_prefix
from libs.kernel.db import DbSession
from libs.kernel.pagination import DEFAULT_LIMIT, Cursor, Limit, Page, decode_keyset, page_of
from services.disbursement.context import DisbursementCtx
from services.disbursement.deadlines import service
from services.disbursement.deadlines.errors import FiguresInPast, PaidByBeforeDue
from services.disbursement.deadlines.models import DeadlineFigure
from services.disbursement.deadlines.repository import FIGURES, paid_by
from services.disbursement.deadlines.schemas import (
    DeadlineFiguresIn,
    DeadlineFiguresOut,
    DeadlineOut,
    LateLine,
    UnpaidRosterOut,
)
from services.disbursement.deadlines.service import Lateness
from services.disbursement.deadlines.views import figures_out, late_line, unpaid_out
from services.disbursement.dependencies import IdPath, Policy, Reader, RegionQuery, problems
from services.disbursement.months import month_containing, month_of, period_of
from services.disbursement.rosters import repository

router = APIRouter(prefix="/api/v1/disbursement", tags=["payment deadline"])
CountyQuery = Annotated[str, Query(pattern=r"^[0-9]{6}$", description="A county's region code")]


@router.post(
    "/deadline-figures",
    response_model=DeadlineFiguresOut,
    status_code=status.HTTP_201_CREATED,
    responses=problems(403, 409, 422),
)
async def add_figures(
    session: DbSession, ctx: DisbursementCtx, who: Policy, body: DeadlineFiguresIn
) -> DeadlineFiguresOut:
    """Set a region's payment deadline from a month on: this month or a later one, never before submission's day."""
    ensure_jurisdiction(who, body.region_prefix)
    month, current = month_of(body.effective_from), month_containing(ctx.today())
    if month < current:
        # Past months were judged by the figures then in force; changing them would rewrite who was late.
        raise FiguresInPast(
            f"Figures take effect from {period_of(current)} or a later month",
            errors=[{"loc": ["body", "effective_from"], "msg": "a past month", "type": FiguresInPast.code}],
        )
    due_day = ctx.settings.roster_due_day
    if body.paid_by_day < due_day:
        raise PaidByBeforeDue(
            f"Finance cannot pay before the roster is due on day {due_day}",
            errors=[{"loc": ["body", "paid_by_day"], "msg": f"before day {due_day}", "type": PaidByBeforeDue.code}],
        )
    row = DeadlineFigure(
        region_prefix=body.region_prefix,
        effective_from=month,
        paid_by_day=body.paid_by_day,
        created_by=who.subject,
        created_at=ctx.now(),
    )
    return figures_out(await FIGURES.add(session, row))


@router.get("/deadline-figures/in-force", response_model=DeadlineOut, responses=problems(403, 422))
async def in_force(
    session: DbSession,
    ctx: DisbursementCtx,
    who: Reader,
    region_code: CountyQuery,
    period: Annotated[
        BoundedPeriodStr | None, Query(description="A benefit month, YYYY-MM; this month by default")
    ] = None,
) -> DeadlineOut:
    """The day by which finance pays the county's roster for `period`."""
    ensure_jurisdiction(who, region_code)
    month = month_of(period) if period else month_containing(ctx.today())
    return DeadlineOut(
        region_code=region_code, period=period_of(month), paid_by=await paid_by(session, region_code, month)
    )


@router.get("/deadline-figures", response_model=list[DeadlineFiguresOut], responses=problems(403, 422))
async def list_figures(session: DbSession, who: Reader, region_code: CountyQuery) -> list[DeadlineFiguresOut]:
    """Every set of figures bearing on the county (its own and its city's and province's, the national default
    included), widest first."""
    ensure_jurisdiction(who, region_code)
    return [figures_out(row) for row in await FIGURES.bearing_on(session, region_code)]


@router.get("/rosters/unpaid-by-deadline", response_model=list[UnpaidRosterOut], responses=problems(403, 422))
async def unpaid_rosters(
    session: DbSession,
    ctx: DisbursementCtx,
    who: Reader,
    period: Annotated[BoundedPeriodStr, Query(description="A benefit month, YYYY-MM, not after this one")],
    region_code: RegionQuery = None,
) -> list[UnpaidRosterOut]:
    """The month's rosters, by county, with lines finance did not pay by the county's deadline: still pending after
    it, or paid after it (counts and amounts of each)."""
    prefix = jurisdiction_prefix(who, region_code)
    month = service.begun(ctx, period)
    return [unpaid_out(u) for u in await service.unpaid(session, ctx, prefix, month)]


@router.get("/rosters/{roster_id}/late-lines", response_model=Page[LateLine], responses=problems(403, 404, 422))
async def list_late_lines(
    session: DbSession,
    ctx: DisbursementCtx,
    who: Reader,
    roster_id: IdPath,
    lateness: Annotated[Lateness | None, Query()] = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[LateLine]:
    """The roster's lines not paid by its deadline, in line order, names and account numbers masked."""
    roster = await repository.county_roster(session, who, roster_id)
    deadline = await service.deadline_of(session, ctx, roster)
    after = decode_keyset(cursor, tuple[int])
    lines = await service.late_lines(
        session, roster, deadline, lateness=lateness, after_line_no=after[0] if after else None, limit=limit
    )
    items = await repository.items_of(session, [line.line_id for line in lines[:limit]])
    today = ctx.today()
    return page_of(lines, limit, lambda line: (line.line_no,), lambda line: late_line(line, items, deadline, today))
