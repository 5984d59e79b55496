"""Staff API of the complaint ledger: `/api/v1/complaints` (DOMAIN.md §6)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Response
from fastapi.responses import StreamingResponse
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.clock import business_date
from libs.kernel.audit_note import note
from libs.kernel.auth import Principal, ensure_jurisdiction, jurisdiction_prefix
from libs.kernel.counts import WorkCounts
from libs.kernel.db import DbSession
from libs.kernel.ledgers import WORKBOOK, export_region
from libs.kernel.pagination import Page, Paging, page_of
from libs.kernel.presenters import from_row
from libs.kernel.region_names import names_under
from services.complaints.context import Complaints, ComplaintsCtx
from services.complaints.db import tables
from services.complaints.dependencies import County, Entrant, Handler, Reader
from services.complaints.register import handling, intake, ledger, repository
from services.complaints.register.errors import AnonymousItem, NotAssignedToYou, ReceivedInFuture
from services.complaints.register.rules import Category, Source, Status
from services.complaints.register.schemas import (
    AssignIn,
    ClassificationIn,
    ComplaintIn,
    ComplaintOut,
    ComplaintSummary,
    ContactOut,
    FeedbackIn,
    NoteIn,
    ResolveIn,
    ReturnIn,
    RevealIn,
)
from services.complaints.register.views import contact, detail, summary, visible_repeats

router = APIRouter(prefix="/api/v1/complaints", tags=["complaints"])
ComplaintId = Annotated[str, Path(min_length=1, max_length=64)]
RegionQuery = Annotated[str | None, Query(pattern=r"^[0-9]{2,12}$")]
_ACTION: dict[int | str, dict[str, Any]] = {
    403: {},
    404: {},
    409: {"description": "The item is closed, or the action does not fit it"},
    422: {},
}


def _ledger_filter(
    status: Status | None = None,
    category: Category | None = None,
    source: Source | None = None,
    repeats: Annotated[bool | None, Query(description="true: only repeat petitions; false: only first items")] = None,
) -> repository.LedgerFilter:
    return repository.LedgerFilter(status=status, category=category, source=source, repeats=repeats)


# The list's filters, the same for the list and its Excel ledger.
LedgerQuery = Annotated[repository.LedgerFilter, Depends(_ledger_filter)]


@dataclass(frozen=True)
class _ByDeadline:
    """Open items of the reader's jurisdiction (or `region_code` in it) by deadline, a page as the route was asked."""

    session: AsyncSession
    ctx: Complaints
    who: Principal
    after: tuple[dt.datetime, str] | None
    prefix: str
    limit: int

    async def page(self, *, past_due_only: bool) -> Page[ComplaintSummary]:
        now = self.ctx.now()
        past = now if past_due_only else None
        rows = await repository.overdue(self.session, self.prefix, past, self.after, self.limit + 1)
        visible = await visible_repeats(self.session, self.who, list(rows))
        return page_of(rows, self.limit, lambda c: (c.due_at.isoformat(), c.id), lambda c: summary(c, now, visible))


def _by_deadline(
    session: DbSession,
    ctx: ComplaintsCtx,
    who: Reader,
    page: Paging,
    region_code: RegionQuery = None,
) -> _ByDeadline:
    after = page.after(tuple[dt.datetime, str])
    return _ByDeadline(session, ctx, who, after, jurisdiction_prefix(who, region_code), page.limit)


ByDeadline = Annotated[_ByDeadline, Depends(_by_deadline)]


@router.post("", response_model=ComplaintOut, status_code=201, responses={403: {}, 422: {}})
async def log_item(body: ComplaintIn, session: DbSession, ctx: ComplaintsCtx, who: Entrant) -> ComplaintOut:
    """Log a letter, visit, call or online message: assigned to its township, due in the region's working days."""
    ensure_jurisdiction(who, body.region_code)
    received_at = body.received_at or ctx.now()
    if received_at > ctx.now() + dt.timedelta(minutes=5):
        raise ReceivedInFuture(
            "received_at is in the future",
            errors=[{"loc": ["body", "received_at"], "msg": "must not be in the future"}],
        )
    new = from_row(intake.NewItem, body, source=Source.STAFF, received_at=received_at, created_by=who.subject)
    item = await intake.record(session, ctx, new)
    return await detail(session, ctx, who, item)


@router.get("", response_model=Page[ComplaintSummary], responses={403: {}, 422: {}})
async def list_items(
    session: DbSession,
    ctx: ComplaintsCtx,
    who: Reader,
    filters: LedgerQuery,
    page: Paging,
    region_code: RegionQuery = None,
) -> Page[ComplaintSummary]:
    """The ledger (台账) of your jurisdiction, newest first."""
    prefix = jurisdiction_prefix(who, region_code)
    after = page.after(tuple[dt.datetime, str])
    rows = await repository.ledger(session, prefix, filters, after, page.limit + 1)
    now, visible = ctx.now(), await visible_repeats(session, who, list(rows))
    return page.of(rows, lambda c: (c.received_at.isoformat(), c.id), lambda c: summary(c, now, visible))


@router.get("/export.xlsx", response_class=StreamingResponse, responses={**WORKBOOK, 403: {}, 422: {}})
async def export_items(
    session: DbSession,
    ctx: ComplaintsCtx,
    who: Reader,
    filters: LedgerQuery,
    region_code: RegionQuery = None,
) -> StreamingResponse:
    """投诉举报台账: the items of the list's filters, newest first, as an Excel ledger with region names; names and
    the identity number of the person complained about masked (a complainant is revealed one item at a time)."""
    prefix = jurisdiction_prefix(who, region_code)
    names = await names_under(session, tables.region_names, prefix)
    pages = ledger.pages(session, ctx, prefix, filters, names)
    return await export_region(ledger.SHEET, pages, names, prefix, today=business_date(ctx.now()), whole=False)


@router.get("/overdue", response_model=Page[ComplaintSummary], responses={403: {}, 422: {}})
async def overdue(asked: ByDeadline) -> Page[ComplaintSummary]:
    """Open items past their deadline, the longest overdue first (for townships, counties and city supervisors)."""
    return await asked.page(past_due_only=True)


@router.get("/due", response_model=Page[ComplaintSummary], responses={403: {}, 422: {}})
async def due(asked: ByDeadline) -> Page[ComplaintSummary]:
    """Every open item, the soonest deadline first (overdue ones lead): the work still to answer."""
    return await asked.page(past_due_only=False)


@router.get("/counts", response_model=WorkCounts, responses={403: {}, 422: {}})
async def count_items(
    session: DbSession, ctx: ComplaintsCtx, who: Reader, region_code: RegionQuery = None
) -> WorkCounts:
    """How many items there are in your jurisdiction (or `region_code` in it) by status, and how many open ones are
    past their deadline."""
    return await repository.counts(session, jurisdiction_prefix(who, region_code), ctx.now())


@router.get("/{complaint_id}", response_model=ComplaintOut, responses={403: {}, 404: {}})
async def get_item(complaint_id: ComplaintId, session: DbSession, ctx: ComplaintsCtx, who: Reader) -> ComplaintOut:
    """The item with its history, investigation notes, feedback and every item of its repeat petition."""
    return await detail(session, ctx, who, await repository.for_reading(session, who, complaint_id))


@router.patch("/{complaint_id}", response_model=ComplaintOut, responses=_ACTION)
async def classify(
    complaint_id: ComplaintId, body: ClassificationIn, session: DbSession, ctx: ComplaintsCtx, who: Handler
) -> ComplaintOut:
    """Say what the item is about: the issue, and the household, person or staff member concerned."""
    item = await repository.for_handling(session, who, complaint_id)
    handling.classify(ctx, item, body)
    # Nor may they name their own relatives' household as the subject (the request's transaction rolls back).
    await repository.ensure_not_related(session, who, item)
    return await detail(session, ctx, who, item)


@router.post("/{complaint_id}/assignment", response_model=ComplaintOut, responses=_ACTION)
async def assign(
    complaint_id: ComplaintId, body: AssignIn, session: DbSession, ctx: ComplaintsCtx, who: County
) -> ComplaintOut:
    """Route the item to another township of the county, or keep it at the county."""
    item = await repository.for_handling(session, who, complaint_id)
    await handling.assign(session, ctx, who, item, body)
    return await detail(session, ctx, who, item)


@router.post("/{complaint_id}/notes", response_model=ComplaintOut, status_code=201, responses=_ACTION)
async def add_note(
    complaint_id: ComplaintId, body: NoteIn, session: DbSession, ctx: ComplaintsCtx, who: Handler
) -> ComplaintOut:
    """Record what was checked (a home visit, a registry check, a talk with the village); starts the investigation."""
    item = await repository.for_handling(session, who, complaint_id)
    await handling.add_note(session, ctx, who, item, body)
    return await detail(session, ctx, who, item)


@router.post("/{complaint_id}/feedback", response_model=ComplaintOut, responses=_ACTION)
async def give_feedback(
    complaint_id: ComplaintId, body: FeedbackIn, session: DbSession, ctx: ComplaintsCtx, who: Handler
) -> ComplaintOut:
    """Record the written result given to a real-name complainant (anonymous items get none: 409)."""
    item = await repository.for_handling(session, who, complaint_id)
    handling.give_feedback(ctx, who, item, body)
    return await detail(session, ctx, who, item)


@router.post("/{complaint_id}/resolve", response_model=ComplaintOut, responses=_ACTION)
async def resolve(
    complaint_id: ComplaintId, body: ResolveIn, session: DbSession, ctx: ComplaintsCtx, who: Handler
) -> ComplaintOut:
    """Close the item with its finding and reply. A real-name item needs written feedback (422 `feedback_required`);
    an upheld item about a household or person asks casework for a review; a hotline item's result is pushed."""
    item = await repository.for_handling(session, who, complaint_id)
    await handling.resolve(session, ctx, who, item, body)
    return await detail(session, ctx, who, item)


@router.post("/{complaint_id}/return", response_model=ComplaintOut, responses=_ACTION)
async def return_item(
    complaint_id: ComplaintId, body: ReturnIn, session: DbSession, ctx: ComplaintsCtx, who: Handler
) -> ComplaintOut:
    """Not a civil-affairs matter: return it with the reason (to the platform, for a hotline work order). A real-name
    item needs written feedback, given here or before, as for resolving (422 `feedback_required`)."""
    item = await repository.for_handling(session, who, complaint_id)
    await handling.return_item(session, ctx, who, item, body)
    return await detail(session, ctx, who, item)


@router.post("/{complaint_id}/contact/reveal", response_model=ContactOut, responses=_ACTION)
async def reveal_contact(
    complaint_id: ComplaintId,
    body: RevealIn,
    response: Response,
    session: DbSession,
    ctx: ComplaintsCtx,
    who: Handler,
) -> ContactOut:
    """A real-name complainant's phone and identity number in full, to call or write back; the read is recorded.
    An anonymous informant is never revealed (409)."""
    item = await repository.for_reading(session, who, complaint_id)
    if not who.covers(item.assigned_unit):
        # Only the unit handling the item calls back: a township the county moved an item away from (often because
        # it is about its own cadres) no longer sees who complained.
        raise NotAssignedToYou(
            f"Complaint {complaint_id} is assigned to {item.assigned_unit}, outside your jurisdiction",
        )
    if item.anonymous:
        raise AnonymousItem("The informant of an anonymous item is not revealed")
    # Who complained about a household is the last thing its relative may learn (DOMAIN.md §7).
    await repository.ensure_not_related(session, who, item)
    repository.record_contact_read(session, item, who.subject, ctx.now(), body.reason)
    note(response, "informant.revealed", f"complaint/{item.id}")
    return contact(ctx, item)
