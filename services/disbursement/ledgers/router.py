"""Disbursement's ledgers (台账) as Excel (issue 22): a roster's lines and the recovery orders, with the filters and
jurisdiction of the lists they mirror. Whole numbers are for county officers and are recorded twice: in the gateway's
access audit (`ledger.exported_whole`) and, as every read of account numbers, in `account_reads` (DOMAIN.md §9).

A module of its own above rosters, recoveries and accounts (pyproject's layers), as the household page is: it reads
them all and records the read through accounts.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

from libs.kernel import ledgers
from libs.kernel.db import DbSession
from libs.kernel.ledgers import WORKBOOK, WholeNumbers, export, export_region, whole_numbers
from libs.kernel.region_names import names_under
from services.disbursement.accounts.service import audit_read
from services.disbursement.context import DisbursementCtx
from services.disbursement.db import tables
from services.disbursement.dependencies import IdPath, Reader, problems
from services.disbursement.ledgers import recoveries, roster_lines
from services.disbursement.months import period_of
from services.disbursement.recoveries.schemas import RecoveryFilterQuery
from services.disbursement.rosters import repository as rosters
from services.disbursement.rosters.errors import RosterStatusConflict
from services.disbursement.rosters.schemas import LineFilterQuery

router = APIRouter(prefix="/api/v1/disbursement", tags=["ledgers"])


@router.get("/rosters/{roster_id}/lines/export.xlsx", response_class=StreamingResponse,
            responses={**WORKBOOK, **problems(403, 404, 409, 422)})  # fmt: skip
async def export_lines(
    request: Request,
    session: DbSession,
    ctx: DisbursementCtx,
    who: Reader,
    roster_id: IdPath,
    where: LineFilterQuery,
    whole: WholeNumbers = False,
) -> StreamingResponse:
    """花名册: the roster's lines of the list's filters, in line order, as an Excel ledger with region names; the
    payee's identity and account numbers (from the export sealed at lock) masked unless a county officer asks for
    them whole, which only a locked roster has (409 before)."""
    roster = await rosters.county_roster(session, who, roster_id)
    whole = whole_numbers(who, whole)
    if whole and roster.export_chunk_lines is None:
        raise RosterStatusConflict(f"Roster {roster_id} is {roster.status}: whole numbers exist from its lock on")
    names = await names_under(session, tables.region_names, roster.region_code)
    month, today = f"{roster.period.year}年{roster.period.month}月", ctx.today()
    region, tally = names.path(roster.region_code), roster_lines.Tally()
    response = await export(
        roster_lines.SHEET.ledger(ledgers.title(region, f"{month}{roster_lines.SHEET.name}", today)),
        roster_lines.pages(session, ctx, roster, where, names, tally, whole=whole),
        file_name=f"{region}{month}{roster_lines.SHEET.name}",
        fallback=f"{roster_lines.SHEET.slug}-{roster.region_code}-{period_of(roster.period)}",
        target=f"roster/{roster.id}",
        whole=whole,
    )
    if whole:
        await audit_read(session, ctx, who, purpose="台账导出（发放花名册）", accounts=tally.lines,
                         roster_id=roster.id, request_id=request.headers.get("x-request-id"))  # fmt: skip
    return response


@router.get("/recoveries/export.xlsx", response_class=StreamingResponse, responses={**WORKBOOK, **problems(403, 422)})
async def export_recoveries(
    session: DbSession,
    ctx: DisbursementCtx,
    who: Reader,
    where: RecoveryFilterQuery,
    whole: WholeNumbers = False,
) -> StreamingResponse:
    """追缴台账: the recovery orders of the list's filters, newest first, as an Excel ledger with region names and
    what is outstanding; the payee's identity number masked unless a county officer asks for it whole (audited)."""
    whole = whole_numbers(who, whole)
    names = await names_under(session, tables.region_names, where.prefix)
    pages = recoveries.pages(session, ctx, where, names, whole=whole)
    return await export_region(recoveries.SHEET, pages, names, where.prefix, today=ctx.today(), whole=whole)
