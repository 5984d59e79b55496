"""Staff API of cases: `/api/v1/casework/cases` (DOMAIN.md §3–§4)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import StreamingResponse

from libs.contracts.clock import business_date
from libs.contracts.programs import Program
from libs.contracts.text import CleanLine
from libs.kernel.audit_note import note
from libs.kernel.auth import ensure_jurisdiction, jurisdiction_prefix
from libs.kernel.counts import WorkCounts
from libs.kernel.db import DbSession
from libs.kernel.errors import ACCESS_REFUSALS, documented
from libs.kernel.ledgers import WORKBOOK, WholeNumbers, export_region, whole_numbers
from libs.kernel.pagination import DEFAULT_LIMIT, Cursor, Limit, Page, decode_keyset, page_of
from libs.kernel.region_names import names_under
from services.casework.case import attachments, evaluation, repository, service, views
from services.casework.case import ledger as case_ledger
from services.casework.case.errors import CaseNotFound, InvalidStatus, RecusalRequired
from services.casework.case.evaluation_schemas import EvaluationIn
from services.casework.case.models import Case
from services.casework.case.rules import CaseKind, CaseStatus, Trigger
from services.casework.case.schemas import (
    AttachmentOut,
    CaseOut,
    CaseSummary,
    DecisionIn,
    InvestigationIn,
    ObjectionIn,
    OverdueOut,
    ProposalIn,
    ReturnIn,
)
from services.casework.context import CaseworkCtx
from services.casework.db import tables
from services.casework.dependencies import Officer, Reader

router = APIRouter(prefix="/api/v1/casework/cases", tags=["cases"])

_ERRORS = documented(*ACCESS_REFUSALS, RecusalRequired, CaseNotFound, InvalidStatus, notes={422: "Invalid request"})


async def _detail(session: DbSession, ctx: CaseworkCtx, case: Case) -> CaseOut:
    return views.detail(ctx, case, await repository.case_file(session, case.id))


@router.get("", response_model=Page[CaseSummary], responses={403: {}, 422: {}})
async def list_cases(
    session: DbSession,
    ctx: CaseworkCtx,
    who: Reader,
    region_code: Annotated[str | None, Query(pattern=r"^[0-9]{2,12}$")] = None,
    status: CaseStatus | None = None,
    program: str | None = None,
    kind: CaseKind | None = None,
    trigger: Trigger | None = None,
    household_id: str | None = None,
    overdue: bool = False,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[CaseSummary]:
    """Cases in your jurisdiction as a work list: earliest due date first (overdue ones lead)."""
    prefix = jurisdiction_prefix(who, region_code)
    today = business_date(ctx.now())
    f = repository.CaseFilter(
        region_prefix=prefix,
        status=status,
        program=program,
        kind=kind,
        trigger=trigger,
        household_id=household_id,
        overdue_on=today if overdue else None,
    )
    rows = await repository.search(session, f, decode_keyset(cursor, tuple[dt.date, str]), limit)
    return page_of(
        rows,
        limit,
        key=lambda c: ((c.due_date or repository._FAR).isoformat(), c.id),
        item=lambda c: views.summary(c, ctx),
    )


@router.get("/export.xlsx", response_class=StreamingResponse, responses={**WORKBOOK, 403: {}, 422: {}})
async def export_cases(
    session: DbSession,
    ctx: CaseworkCtx,
    who: Reader,
    region_code: Annotated[str | None, Query(pattern=r"^[0-9]{2,12}$")] = None,
    status: CaseStatus | None = None,
    program: Program | None = None,
    kind: CaseKind | None = None,
    trigger: Trigger | None = None,
    household_id: Annotated[str | None, Query(max_length=64)] = None,
    overdue: bool = False,
    whole: WholeNumbers = False,
) -> StreamingResponse:
    """审核审批台账: the cases of the work list's filters, in its order, as an Excel ledger with region names;
    applicants' identity numbers and names masked unless a county officer asks for them whole (audited)."""
    prefix = jurisdiction_prefix(who, region_code)
    whole = whole_numbers(who, whole)
    today = business_date(ctx.now())
    f = repository.CaseFilter(
        region_prefix=prefix,
        status=status,
        program=program.value if program is not None else None,
        kind=kind,
        trigger=trigger,
        household_id=household_id,
        overdue_on=today if overdue else None,
    )
    names = await names_under(session, tables.region_names, prefix)
    pages = case_ledger.pages(session, ctx, f, names, today, whole=whole)
    return await export_region(case_ledger.SHEET, pages, names, prefix, today=today, whole=whole)


@router.get("/counts", response_model=WorkCounts, responses={403: {}, 422: {}})
async def count_cases(
    session: DbSession,
    ctx: CaseworkCtx,
    who: Reader,
    region_code: Annotated[str | None, Query(pattern=r"^[0-9]{2,12}$")] = None,
) -> WorkCounts:
    """How many cases there are in your jurisdiction (or `region_code` in it) by status, and how many open ones are
    past their due date."""
    return await repository.counts(session, jurisdiction_prefix(who, region_code), business_date(ctx.now()))


@router.get("/overdue", response_model=list[OverdueOut], responses={403: {}, 422: {}})
async def overdue(
    session: DbSession,
    ctx: CaseworkCtx,
    who: Reader,
    region_code: Annotated[str, Query(pattern=r"^([0-9]{6}|[0-9]{9})$")],
) -> list[OverdueOut]:
    """Open and overdue cases per township (for a county) or per village (for a township)."""
    ensure_jurisdiction(who, region_code)
    level = 9 if len(region_code) == 6 else 12
    rows = await repository.overdue_by_area(session, region_code, level, business_date(ctx.now()))
    return [OverdueOut(region_code=a, open_cases=n, overdue=o) for a, n, o in rows]


@router.get("/{case_id}", response_model=CaseOut, responses={403: {}, 404: {}})
async def get_case(case_id: str, session: DbSession, ctx: CaseworkCtx, who: Reader) -> CaseOut:
    """The case with its members (masked), verification, investigations, calculation and history."""
    return await _detail(session, ctx, await repository.visible_case(session, who, case_id))


@router.post("/{case_id}/investigations", response_model=CaseOut, status_code=201, responses=_ERRORS)
async def investigate(
    case_id: str, body: InvestigationIn, session: DbSession, ctx: CaseworkCtx, who: Officer
) -> CaseOut:
    """Record the home investigation (two investigators); the case moves to the township review."""
    case = await service.investigate(session, ctx, who, case_id, body)
    return await _detail(session, ctx, case)


@router.post("/{case_id}/evaluations", response_model=CaseOut, status_code=201, responses=_ERRORS)
async def evaluate(case_id: str, body: EvaluationIn, session: DbSession, ctx: CaseworkCtx, who: Officer) -> CaseOut:
    """The democratic evaluation (民主评议) of the latest investigation, in township review: where the region sets
    `democratic_evaluation`, an application is proposed only after it. A panel member filed as a relative of the
    household is refused, as is an officer who must recuse."""
    case = await service.load_for_action(session, who, case_id)
    await evaluation.record_evaluation(session, ctx, who, case, body)
    return await _detail(session, ctx, case)


@router.post("/{case_id}/proposal", response_model=CaseOut, responses=_ERRORS)
async def propose(case_id: str, body: ProposalIn, session: DbSession, ctx: CaseworkCtx, who: Officer) -> CaseOut:
    """The township's proposed decision with the calculated amount; approvals go to publicity."""
    case = await service.propose(session, ctx, who, case_id, body)
    return await _detail(session, ctx, case)


@router.post("/{case_id}/objections", response_model=CaseOut, responses=_ERRORS)
async def object_to(case_id: str, body: ObjectionIn, session: DbSession, ctx: CaseworkCtx, who: Officer) -> CaseOut:
    """An objection raised during publicity: the investigation reopens."""
    case = await service.object_to(session, ctx, who, case_id, body)
    return await _detail(session, ctx, case)


@router.post("/{case_id}/return", response_model=CaseOut, responses=_ERRORS)
async def return_case(case_id: str, body: ReturnIn, session: DbSession, ctx: CaseworkCtx, who: Officer) -> CaseOut:
    """Send the case back to investigation with a reason."""
    case = await service.return_case(session, ctx, who, case_id, body)
    return await _detail(session, ctx, case)


@router.post("/{case_id}/decision", response_model=CaseOut, responses=_ERRORS)
async def decide(
    case_id: str, body: DecisionIn, response: Response, session: DbSession, ctx: CaseworkCtx, who: Officer
) -> CaseOut:
    """Confirm the proposal, reject the application, or return it (county, or township where delegated)."""
    case = await service.decide(session, ctx, who, case_id, body)
    note(response, "case.decided", f"case/{case.id}")
    return await _detail(session, ctx, case)


@router.post("/{case_id}/attachments", response_model=AttachmentOut, status_code=201, responses={**_ERRORS, 413: {}})
async def attach(
    case_id: str,
    request: Request,
    session: DbSession,
    ctx: CaseworkCtx,
    who: Officer,
    filename: Annotated[CleanLine, Query(min_length=1, max_length=200)],
) -> AttachmentOut:
    """Attach a file (investigation photo, signed record) as the raw request body; kept, never replaced."""
    case = await service.load_for_action(session, who, case_id)
    content = await attachments.read_bounded(request)
    content_type = request.headers.get("content-type", "application/octet-stream")
    return views.attachment_out(attachments.attach(session, ctx, who, case, filename, content_type, content))


@router.get("/{case_id}/attachments/{attachment_id}", response_class=Response, responses={403: {}, 404: {}})
async def download(case_id: str, attachment_id: str, session: DbSession, who: Reader) -> Response:
    """The attached file as uploaded."""
    await repository.visible_case(session, who, case_id)
    row = await repository.attachment_of(session, case_id, attachment_id)
    return Response(row.content, media_type=row.content_type, headers={"X-Content-SHA256": row.sha256})
