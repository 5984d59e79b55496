"""Hits for townships to check, overdue lists for counties, and the deaths raised (DOMAIN.md §5)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Response
from fastapi.responses import StreamingResponse
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.dates import CivilDate, Instant
from libs.kernel.audit_note import note
from libs.kernel.auth import jurisdiction_prefix
from libs.kernel.counts import WorkCounts
from libs.kernel.db import DbSession
from libs.kernel.ledgers import WORKBOOK, WholeNumbers, export_region, whole_numbers
from libs.kernel.pagination import Page, Paging
from libs.kernel.region_names import names_under
from services.matching.context import Matching, MatchingCtx
from services.matching.db import tables
from services.matching.dependencies import Checker, County, Reader
from services.matching.hits import ledger, repository, service, views
from services.matching.hits.models import Hit, HitStatus
from services.matching.hits.schemas import ConfirmIn, DeathOut, DismissIn, HitOut, OverdueOut
from services.matching.views import REGION_LIST

router = APIRouter(prefix="/api/v1/matching", tags=["hits"])
HitId = Annotated[str, Path(max_length=64)]
RegionQuery = Annotated[str | None, Query(pattern=r"^[0-9]{2,12}$", description="A region prefix")]


def _hit_filter(
    ctx: MatchingCtx,
    who: Reader,
    region_code: RegionQuery = None,
    status: HitStatus | None = None,
    source: Annotated[str | None, Query(max_length=64)] = None,
    rule: Annotated[str | None, Query(max_length=64)] = None,
    overdue: bool = False,
) -> repository.HitFilter:
    overdue_on = ctx.today() if overdue else None
    return repository.HitFilter(jurisdiction_prefix(who, region_code), status, source, rule, overdue_on=overdue_on)


# The list's filters, the same for the list and its Excel ledger: hits in the caller's jurisdiction or `region_code`.
HitQuery = Annotated[repository.HitFilter, Depends(_hit_filter)]

_ONE: dict[int | str, dict[str, Any]] = {
    403: {"description": "Wrong role, or a hit outside your jurisdiction"},
    404: {"description": "No such hit"},
}
_CHECK: dict[int | str, dict[str, Any]] = {
    **_ONE,
    409: {"description": "The hit is closed already (`status_now` says how)"},
    422: {"description": "Invalid body; `errors` names each field"},
}


@router.get("/hits", response_model=Page[HitOut], responses=REGION_LIST)
async def list_hits(
    session: DbSession,
    ctx: MatchingCtx,
    who: Reader,
    where: HitQuery,
    page: Paging,
) -> Page[HitOut]:
    """Hits in the caller's jurisdiction (or under `region_code`), the soonest due first."""
    today = ctx.today()
    rows = await repository.hits_page(session, where, page.after(tuple[CivilDate, str]), page.limit)
    people = await repository.people_of(session, rows[: page.limit])
    return page.of(
        rows,
        key=lambda h: (h.due_date.isoformat(), h.id),
        item=lambda h: views.hit_out(h, people.get(h.person), today),
    )


@router.get("/hits/export.xlsx", response_class=StreamingResponse, responses={**WORKBOOK, **REGION_LIST})
async def export_hits(
    session: DbSession,
    ctx: MatchingCtx,
    who: Reader,
    where: HitQuery,
    whole: WholeNumbers = False,
) -> StreamingResponse:
    """比对疑点台账: the hits of the list's filters, in its order, as an Excel ledger with region names; identity
    numbers and names masked unless a county officer asks for them whole (audited). Routed before `/hits/{hit_id}`."""
    today, prefix = ctx.today(), where.prefix
    whole = whole_numbers(who, whole)
    names = await names_under(session, tables.region_names, prefix)
    pages = ledger.pages(session, ctx, where, names, today, whole=whole)
    return await export_region(ledger.SHEET, pages, names, prefix, today=today, whole=whole)


@router.get("/hits/overdue", response_model=OverdueOut, responses=REGION_LIST)
async def overdue_hits(
    session: DbSession, ctx: MatchingCtx, who: County, region_code: RegionQuery = None
) -> OverdueOut:
    """Open hits past their two weeks (seed 001), counted per township, then listed (the first 1000)."""
    prefix = jurisdiction_prefix(who, region_code)
    today = ctx.today()
    counts, rows = await repository.overdue(session, prefix, today)
    return views.overdue_out(prefix, today, counts, rows, await repository.people_of(session, rows))


@router.get("/hits/counts", response_model=WorkCounts, responses=REGION_LIST)
async def count_hits(session: DbSession, ctx: MatchingCtx, who: Reader, region_code: RegionQuery = None) -> WorkCounts:
    """How many hits there are in the caller's jurisdiction (or under `region_code`) by status, and how many open
    ones are past their two weeks (seed 001). Routed before `/hits/{hit_id}`, which would take `counts` for an id."""
    return await repository.counts(session, jurisdiction_prefix(who, region_code), ctx.today())


@router.get("/hits/{hit_id}", response_model=HitOut, responses=_ONE)
async def get_hit(hit_id: HitId, session: DbSession, ctx: MatchingCtx, who: Reader) -> HitOut:
    """One hit in the caller's jurisdiction, with its evidence and how it was closed."""
    hit = await service.hit_in_jurisdiction(session, who, hit_id)
    return await views.one_hit(session, hit, ctx.today())


@router.post("/hits/{hit_id}/confirm", response_model=HitOut, responses=_CHECK)
async def confirm_hit(
    hit_id: HitId, body: ConfirmIn, response: Response, session: DbSession, ctx: MatchingCtx, who: Checker
) -> HitOut:
    """The suspicion is borne out: casework opens a triggered review with the evidence (match-hit-confirmed)."""
    return await _closed(response, session, ctx, await service.confirm(session, ctx, who, hit_id, body.note))


@router.post("/hits/{hit_id}/dismiss", response_model=HitOut, responses=_CHECK)
async def dismiss_hit(
    hit_id: HitId, body: DismissIn, response: Response, session: DbSession, ctx: MatchingCtx, who: Checker
) -> HitOut:
    """The suspicion is unfounded; the reason is kept with the hit."""
    return await _closed(response, session, ctx, await service.dismiss(session, ctx, who, hit_id, body.reason))


async def _closed(response: Response, session: AsyncSession, ctx: Matching, hit: Hit) -> HitOut:
    """A hit just closed: the audit trail notes how (`hit.confirmed`, `hit.dismissed`), the answer shows the hit."""
    note(response, f"hit.{hit.status}", f"hit/{hit.id}")
    return await views.one_hit(session, hit, ctx.today())


@router.get("/deaths", response_model=Page[DeathOut], responses=REGION_LIST)
async def deaths(
    session: DbSession,
    who: Reader,
    page: Paging,
    region_code: RegionQuery = None,
) -> Page[DeathOut]:
    """Deaths of recipients and members raised to casework and disbursement, the latest first."""
    prefix = jurisdiction_prefix(who, region_code)
    rows = await repository.deaths_page(session, prefix, page.after(tuple[Instant, str]), page.limit)
    return page.of(rows, key=lambda r: (r[0].raised_at.isoformat(), str(r[0].person)), item=views.death_out)
