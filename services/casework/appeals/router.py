"""Appeals against refusals, stops and reductions (复核/申诉, issue 21).

`POST /api/v1/casework/cases/{case_id}/appeals` (township or county, on the household's behalf), the county's list
and decision under `/api/v1/casework/appeals`.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from libs.contracts.region import RegionCodeStr
from libs.kernel.audit_note import note
from libs.kernel.auth import jurisdiction_prefix
from libs.kernel.db import DbSession
from libs.kernel.errors import ACCESS_REFUSALS, documented
from libs.kernel.pagination import DEFAULT_LIMIT, Cursor, Limit, Page, decode_keyset, page_of
from services.casework.appeals import errors, service
from services.casework.appeals.rules import AppealStatus
from services.casework.appeals.schemas import AppealDecisionIn, AppealIn, AppealOut
from services.casework.appeals.views import appeal_out
from services.casework.case.errors import CaseNotFound, InvalidStatus, NotEligible, RecusalRequired
from services.casework.context import CaseworkCtx
from services.casework.dependencies import County, Officer, Reader

router = APIRouter(prefix="/api/v1/casework", tags=["appeals"])

AppealId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^appeal-[0-9a-f-]{36}$")]
CaseId = Annotated[str, Path(min_length=1, max_length=128)]
_ERRORS = documented(
    *ACCESS_REFUSALS,
    RecusalRequired,
    errors.AppealSameOfficer,
    CaseNotFound,
    errors.AppealNotFound,
    InvalidStatus,
    errors.AppealExists,
    errors.AppealDecided,
    errors.DecisionSuperseded,
    errors.NotAppealable,
    errors.AppealLate,
    NotEligible,
)


@router.post("/cases/{case_id}/appeals", response_model=AppealOut, status_code=201, responses=_ERRORS)
async def file_appeal(
    case_id: CaseId, body: AppealIn, response: Response, session: DbSession, ctx: CaseworkCtx, who: Officer
) -> AppealOut:
    """The household's appeal against a refusal, a stop, a cut or a gradual exit, within the region's
    `appeal_days` of the decision."""
    appeal = await service.file(session, ctx, who, case_id, body)
    note(response, "appeal.filed", f"case/{case_id}")
    return appeal_out(appeal)


@router.get("/appeals", response_model=Page[AppealOut], responses={403: {}, 422: {}})
async def list_appeals(
    session: DbSession,
    who: Reader,
    region_code: Annotated[RegionCodeStr | None, Query()] = None,
    status: AppealStatus | None = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[AppealOut]:
    """Appeals in your jurisdiction, the longest waiting first; `status=open` is the county's work list."""
    prefix = jurisdiction_prefix(who, region_code)
    after = decode_keyset(cursor, tuple[dt.datetime, str])
    rows = await service.appeals_in(session, prefix, status=status, after=after, limit=limit)
    return page_of(rows, limit, lambda a: (a.filed_at.isoformat(), a.id), appeal_out)


@router.get("/appeals/{appeal_id}", response_model=AppealOut, responses={403: {}, 404: {}, 422: {}})
async def get_appeal(appeal_id: AppealId, session: DbSession, who: Reader) -> AppealOut:
    """One appeal: what it is against, its window, its statement and its decision."""
    return appeal_out(await service.load(session, who, appeal_id))


@router.post("/appeals/{appeal_id}/decision", response_model=AppealOut, responses=_ERRORS)
async def decide_appeal(
    appeal_id: AppealId,
    body: AppealDecisionIn,
    response: Response,
    session: DbSession,
    ctx: CaseworkCtx,
    who: County,
) -> AppealOut:
    """A county officer other than the decision's maker upholds the decision or overturns it (a refusal approved,
    a stop or cut undone from its first month); published as `case-decided`."""
    appeal = await service.decide(session, ctx, who, appeal_id, body)
    note(response, "appeal.decided", f"case/{appeal.case_id}")
    return appeal_out(appeal)
