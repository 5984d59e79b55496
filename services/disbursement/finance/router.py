"""The finance system's API (CONTRACTS.md §3), scope `finance`: submitted rosters in its region, their lines as JSON
pages or one CSV stream, and payment results. Every read of account numbers is audited (DOMAIN.md §9)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import StreamingResponse

from libs.kernel.audit_note import note
from libs.kernel.auth import jurisdiction_prefix
from libs.kernel.db import DbSession
from libs.kernel.pagination import Page, Paging
from services.disbursement.context import DisbursementCtx
from services.disbursement.dependencies import Finance, IdPath, PeriodQuery, RegionQuery, problems
from services.disbursement.finance import repository, service, views
from services.disbursement.finance.errors import TooManyResults
from services.disbursement.finance.results import apply_results
from services.disbursement.finance.schemas import FinanceLine, FinanceRoster, PaymentResults, ResultsApplied
from services.disbursement.months import month_of
from services.disbursement.rosters.export import stream_export
from services.disbursement.rosters.models import RosterKind
from services.disbursement.rosters.repository import RosterFilter

router = APIRouter(prefix="/api/v1/finance", tags=["finance"])
RosterId = IdPath


@router.get("/rosters", response_model=Page[FinanceRoster], responses=problems(403, 422))
async def list_rosters(
    session: DbSession,
    who: Finance,
    page: Paging,
    period: PeriodQuery = None,
    region_code: RegionQuery = None,
    status: Annotated[str | None, Query(max_length=32)] = None,
    kind: Annotated[RosterKind | None, Query(description="monthly or temporary; both when absent")] = None,
) -> Page[FinanceRoster]:
    """Submitted rosters and temporary grants' payment orders in the client's region, by id."""
    # A region outside the client's own is a 403, as for every list (CONTRACTS.md, common rules).
    prefix = jurisdiction_prefix(who, region_code)
    after = page.after_key(str)
    where = RosterFilter(prefix, kind, month_of(period) if period else None, status)
    rows = await repository.visible_rosters(session, where, after=after, limit=page.limit)
    return page.of(rows, lambda r: (r.id,), views.finance_roster)


@router.get("/rosters/{roster_id}", response_model=FinanceRoster, responses=problems(403, 404))
async def get_roster(session: DbSession, who: Finance, roster_id: RosterId) -> FinanceRoster:
    """One submitted roster: its totals by program and the checksum of its CSV."""
    return views.finance_roster(await repository.visible_roster(session, who, roster_id))


@router.get("/rosters/{roster_id}/lines", response_model=Page[FinanceLine], responses=problems(403, 404, 422))
async def list_lines(
    request: Request,
    response: Response,
    session: DbSession,
    ctx: DisbursementCtx,
    who: Finance,
    roster_id: RosterId,
    page: Paging,
) -> Page[FinanceLine]:
    """The roster's lines with payees' identity and account numbers in clear; the read is recorded."""
    roster = await repository.visible_roster(session, who, roster_id)
    note(response, "roster.lines_read", f"roster/{roster.id}")  # payees' identity and account numbers
    after_line_no = page.after_key(int)
    request_id = request.headers.get("x-request-id")
    read = await service.read_lines(
        session, ctx, who, roster, after_line_no=after_line_no, limit=page.limit, request_id=request_id
    )
    return views.lines_page(read, page.limit)


@router.get(
    "/rosters/{roster_id}/lines.csv",
    response_class=StreamingResponse,
    responses={
        200: {"content": {"text/csv": {}}, "description": "Every line; its SHA-256 is the checksum"},
        **problems(403, 404),
    },
)
async def stream_lines(
    request: Request, session: DbSession, ctx: DisbursementCtx, who: Finance, roster_id: RosterId
) -> StreamingResponse:
    """The whole roster as the CSV sealed at its lock, streamed; the read is recorded before the first byte."""
    roster = await repository.visible_roster(session, who, roster_id)
    assert roster.export_chunks is not None
    await service.start_export(session, ctx, who, roster, request_id=request.headers.get("x-request-id"))
    return StreamingResponse(
        stream_export(ctx, roster.id, roster.export_chunks),
        media_type="text/csv; charset=utf-8",
        headers=views.export_headers(roster),
    )


@router.post(
    "/rosters/{roster_id}/payment-results", response_model=ResultsApplied, responses=problems(403, 404, 409, 413, 422)
)
async def post_results(
    session: DbSession, ctx: DisbursementCtx, who: Finance, roster_id: RosterId, body: PaymentResults
) -> ResultsApplied:
    """What the bank paid and what failed, line by line; a repeat of a result already applied changes nothing."""
    if len(body.results) > ctx.settings.results_batch_max:
        raise TooManyResults(f"At most {ctx.settings.results_batch_max} results per request; split the batch")
    roster = await repository.visible_roster(session, who, roster_id, lock=True)
    return await apply_results(session, ctx, roster, body.results)
