"""Staff API of the monthly village dynamic reports: `/api/v1/casework/village-reports` (DOMAIN.md §4, seed 001)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from libs.contracts.staff import StaffRole
from libs.kernel.auth import Principal, jurisdiction_prefix, require_roles
from libs.kernel.db import DbSession
from libs.kernel.errors import ACCESS_REFUSALS, documented
from libs.kernel.pagination import DEFAULT_LIMIT, Cursor, Limit, Page, decode_keyset, page_of
from services.casework.context import CaseworkCtx
from services.casework.dependencies import Officer, Reader
from services.casework.reports import service
from services.casework.reports.errors import ReportExists, ReportNotFound
from services.casework.reports.schemas import ForwardIn, ForwardOut, OverdueOut, ReportIn, ReportOut, ReportSummary

router = APIRouter(prefix="/api/v1/casework/village-reports", tags=["village reports"])

# The village files its own report; its township or county may file it on the village's behalf.
Filer = Annotated[
    Principal,
    Depends(require_roles(StaffRole.village_assistant, StaffRole.township_officer, StaffRole.county_officer)),
]
# Those who chase missing reports: townships, counties, and the city's supervisors (DOMAIN.md §1).
Supervisor = Annotated[
    Principal,
    Depends(require_roles(StaffRole.township_officer, StaffRole.county_officer, StaffRole.city_supervisor)),
]

_INVALID = {422: "Invalid input; `errors` names each field (`households_missing` lists the households)"}
_ERRORS = documented(*ACCESS_REFUSALS, notes=_INVALID)


@router.get("/overdue", response_model=OverdueOut, responses=_ERRORS)
async def list_overdue(
    session: DbSession,
    ctx: CaseworkCtx,
    who: Supervisor,
    region_code: Annotated[str, Query(max_length=12, description="City, county or township (4, 6 or 9 digits)")],
    period: Annotated[str, Query(max_length=7, description="Month YYYY-MM")],
) -> OverdueOut:
    """Villages that have not filed the month's report (flagged `overdue` once their due day has passed), reports
    filed late, and townships that still have reports to forward."""
    return await service.overdue(session, ctx, who, region_code, period)


@router.post("/forward", response_model=ForwardOut, status_code=200, responses=_ERRORS)
async def forward_reports(body: ForwardIn, session: DbSession, ctx: CaseworkCtx, who: Officer) -> ForwardOut:
    """The township passes its villages' reports of the month to the county; a repeat forwards only reports filed
    since, and names the villages still missing."""
    return await service.forward(session, ctx, who, body)


@router.put(
    "/{village_code}/{period}",
    response_model=ReportOut,
    status_code=201,
    responses=documented(*ACCESS_REFUSALS, ReportExists, notes=_INVALID),
)
async def file_report(
    village_code: str, period: str, body: ReportIn, session: DbSession, ctx: CaseworkCtx, who: Filer
) -> ReportOut:
    """File a village's report of the month: one entry per recipient household, or an explicit zero report.
    Every entry with a change opens a triggered review of the household."""
    return await service.file_report(session, ctx, who, village_code, period, body)


@router.get(
    "/{village_code}/{period}",
    response_model=ReportOut,
    responses=documented(*ACCESS_REFUSALS, ReportNotFound, notes=_INVALID),
)
async def get_report(village_code: str, period: str, session: DbSession, ctx: CaseworkCtx, who: Reader) -> ReportOut:
    """One filed report with its entries and the cases they opened."""
    return await service.get_report(session, ctx, who, village_code, period)


@router.get("", response_model=Page[ReportSummary], responses=_ERRORS)
async def list_reports(
    session: DbSession,
    who: Reader,
    region_code: Annotated[str | None, Query(pattern=r"^[0-9]{2,12}$")] = None,
    period: Annotated[str | None, Query(pattern=r"^[0-9]{4}-[0-9]{2}$")] = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[ReportSummary]:
    """Filed reports in your jurisdiction (or the part of it named by `region_code`), the latest month first."""
    prefix = jurisdiction_prefix(who, region_code)
    f = service.ReportFilter(region_prefix=prefix, period=period)
    rows = await service.search(session, f, decode_keyset(cursor, tuple[str, str]), limit)
    return page_of(rows, limit, key=lambda r: (r.period, r.village_code), item=lambda r: r)
