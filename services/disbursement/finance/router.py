"""The finance system's API (CONTRACTS.md §3), scope `finance`: submitted rosters in its region, their lines as JSON
pages or one CSV stream, and payment results. Every read of account numbers is audited (DOMAIN.md §9)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import StreamingResponse
from sqlalchemy import select

from libs.contracts.period import PeriodStr
from libs.kernel.audit_note import AUDIT_NOTE_HEADER, note
from libs.kernel.auth import jurisdiction_prefix
from libs.kernel.db import DbSession
from libs.kernel.errors import NotFound, Problem
from libs.kernel.pagination import DEFAULT_LIMIT, Cursor, Limit, Page, decode_keyset, page_of
from services.disbursement.accounts.service import audit_read
from services.disbursement.context import DisbursementCtx
from services.disbursement.dependencies import Finance
from services.disbursement.finance import views
from services.disbursement.finance.results import apply_results
from services.disbursement.finance.schemas import FinanceLine, FinanceRoster, PaymentResults, ResultsApplied
from services.disbursement.months import month_of
from services.disbursement.rosters.export import payees, stream_export
from services.disbursement.rosters.models import FINANCE_VISIBLE, Roster, RosterLine

router = APIRouter(prefix="/api/v1/finance", tags=["finance"])
RosterId = Annotated[str, Path(max_length=64)]


class PayloadTooLarge(Problem):
    status, code, title = 413, "too_many_results", "Too many results in one request"


async def _visible(session: DbSession, who: Finance, roster_id: str, *, lock: bool = False) -> Roster:
    """Finance sees a roster of its region from its submission on; anything else does not exist for it."""
    stmt = select(Roster).where(Roster.id == roster_id)
    roster = (await session.scalars(stmt.with_for_update() if lock else stmt)).first()
    if roster is None or roster.status not in FINANCE_VISIBLE or not who.covers(roster.region_code):
        raise NotFound(f"No submitted roster {roster_id}", code="roster_not_found")
    return roster


@router.get("/rosters", response_model=Page[FinanceRoster])
async def list_rosters(
    session: DbSession,
    who: Finance,
    period: Annotated[PeriodStr | None, Query(description="A benefit month, YYYY-MM")] = None,
    region_code: Annotated[str | None, Query(pattern=r"^[0-9]{2,12}$")] = None,
    status: Annotated[str | None, Query(max_length=32)] = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[FinanceRoster]:
    # A region outside the client's own is a 403, as for every list (CONTRACTS.md, common rules).
    prefix = jurisdiction_prefix(who, region_code)
    stmt = select(Roster).where(Roster.status.in_(FINANCE_VISIBLE), Roster.region_code.startswith(prefix))
    if period:
        stmt = stmt.where(Roster.period == month_of(period))
    if status:
        stmt = stmt.where(Roster.status == status)
    after = decode_keyset(cursor, tuple[str])
    if after is not None:
        stmt = stmt.where(Roster.id > after[0])
    rows = (await session.scalars(stmt.order_by(Roster.id).limit(limit + 1))).all()
    return page_of(rows, limit, lambda r: (r.id,), views.finance_roster)


@router.get("/rosters/{roster_id}", response_model=FinanceRoster)
async def get_roster(session: DbSession, who: Finance, roster_id: RosterId) -> FinanceRoster:
    return views.finance_roster(await _visible(session, who, roster_id))


@router.get("/rosters/{roster_id}/lines", response_model=Page[FinanceLine])
async def list_lines(
    request: Request,
    response: Response,
    session: DbSession,
    ctx: DisbursementCtx,
    who: Finance,
    roster_id: RosterId,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[FinanceLine]:
    roster = await _visible(session, who, roster_id)
    note(response, "roster.lines_read", f"roster/{roster.id}")  # payees' identity and account numbers
    stmt = select(RosterLine).where(RosterLine.roster_id == roster.id)
    after = decode_keyset(cursor, tuple[int])
    if after is not None:
        stmt = stmt.where(RosterLine.line_no > after[0])
    lines = list((await session.scalars(stmt.order_by(RosterLine.line_no).limit(limit + 1))).all())
    served = lines[:limit]
    items = await views.items_of(session, [line.line_id for line in served])
    numbers = await payees(session, ctx, roster, [line.line_no for line in served])
    page = page_of(
        lines, limit, lambda line: (line.line_no,), lambda line: views.finance_line(line, numbers[line.line_id], items)
    )
    await audit_read(
        session,
        ctx,
        who,
        purpose="finance roster lines",
        accounts=len(page.items),
        roster_id=roster.id,
        request_id=request.headers.get("x-request-id"),
    )
    return page


@router.get(
    "/rosters/{roster_id}/lines.csv",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/csv": {}}, "description": "Every line; its SHA-256 is the checksum"}},
)
async def stream_lines(
    request: Request, session: DbSession, ctx: DisbursementCtx, who: Finance, roster_id: RosterId
) -> StreamingResponse:
    roster = await _visible(session, who, roster_id)
    assert roster.checksum is not None
    assert roster.export_chunks is not None
    await audit_read(
        session,
        ctx,
        who,
        purpose="finance roster CSV",
        accounts=roster.line_count,
        roster_id=roster.id,
        request_id=request.headers.get("x-request-id"),
    )
    await session.commit()  # the audit row stands even if the client breaks off
    headers = {
        "Content-Length": str(roster.export_bytes),
        "Content-Disposition": f'attachment; filename="roster-{roster.region_code}-{views.period(roster)}.csv"',
        "X-Checksum": roster.checksum,
        "ETag": f'"{roster.checksum}"',
        AUDIT_NOTE_HEADER.decode(): f"roster.exported roster/{roster.id}",
    }
    return StreamingResponse(
        stream_export(ctx, roster.id, roster.export_chunks), media_type="text/csv; charset=utf-8", headers=headers
    )


@router.post("/rosters/{roster_id}/payment-results", response_model=ResultsApplied)
async def post_results(
    session: DbSession, ctx: DisbursementCtx, who: Finance, roster_id: RosterId, body: PaymentResults
) -> ResultsApplied:
    if len(body.results) > ctx.settings.results_batch_max:
        raise PayloadTooLarge(f"At most {ctx.settings.results_batch_max} results per request; split the batch")
    roster = await _visible(session, who, roster_id, lock=True)
    return await apply_results(session, ctx, roster, body.results)
