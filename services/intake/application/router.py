"""Staff API of applications: `/api/v1/intake/applications` (DOMAIN.md §3)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response
from fastapi.responses import StreamingResponse

from libs.contracts.clock import business_date
from libs.contracts.dates import CivilDate
from libs.contracts.id_number import IdNumber, InvalidIdNumber
from libs.contracts.programs import Program
from libs.kernel.audit_note import note
from libs.kernel.auth import jurisdiction_prefix
from libs.kernel.counts import WorkCounts
from libs.kernel.db import DbSession
from libs.kernel.errors import documented
from libs.kernel.ledgers import WORKBOOK, WholeNumbers, export_region, whole_numbers
from libs.kernel.pagination import Page, Paging
from libs.kernel.region_names import names_under
from services.intake.application import ledger, service
from services.intake.application import repository as repo
from services.intake.application.errors import (
    AlreadyExtended,
    AlreadyReturned,
    ApplicationNotFound,
    InvalidIdNumberQuery,
    InvalidStatus,
    LeadImmutable,
    PersonAlreadyRecipient,
    PersonInOpenApplication,
)
from services.intake.application.schemas import (
    ApplicationIn,
    ApplicationOut,
    ApplicationStatus,
    ApplicationSummary,
    ReasonIn,
    ReturnIn,
)
from services.intake.application.views import detail, summary
from services.intake.context import IntakeCtx
from services.intake.db import tables
from services.intake.dependencies import Filer, Officer, Reader
from services.intake.lead.errors import LeadNotFound, LeadNotOpen, RegionOutsideLeadRegion
from services.intake.relatives.errors import STAFF_REFUSALS

router = APIRouter(prefix="/api/v1/intake/applications", tags=["applications"])

_ERRORS = documented(
    *STAFF_REFUSALS,
    ApplicationNotFound,
    LeadNotFound,
    InvalidStatus,
    PersonInOpenApplication,
    PersonAlreadyRecipient,
    AlreadyReturned,
    AlreadyExtended,
    LeadNotOpen,
    LeadImmutable,
    RegionOutsideLeadRegion,
    InvalidIdNumberQuery,
    notes={422: "Invalid content; `errors` names each field"},
)


@router.post("", response_model=ApplicationOut, status_code=201, responses=_ERRORS)
async def create_application(body: ApplicationIn, session: DbSession, ctx: IntakeCtx, who: Filer) -> ApplicationOut:
    """Open a draft application (counter, online, proxy, or from a lead)."""
    app = await service.create(session, ctx, who, body)
    return await detail(session, ctx, app)


@router.put("/{application_id}", response_model=ApplicationOut, responses=_ERRORS)
async def update_application(
    application_id: str, body: ApplicationIn, session: DbSession, ctx: IntakeCtx, who: Filer
) -> ApplicationOut:
    """Replace the declared content of a draft or returned application; the old content is kept as a version."""
    app = await service.update(session, ctx, who, application_id, body)
    return await detail(session, ctx, app)


@router.post("/{application_id}/submit", response_model=ApplicationOut, responses=_ERRORS)
async def submit_application(application_id: str, session: DbSession, ctx: IntakeCtx, who: Filer) -> ApplicationOut:
    """Submit a draft (or a supplemented application) with the declarations signed."""
    app = await service.submit(session, ctx, who, application_id)
    return await detail(session, ctx, app)


@router.post("/{application_id}/accept", response_model=ApplicationOut, responses=_ERRORS)
async def accept_application(application_id: str, session: DbSession, ctx: IntakeCtx, who: Officer) -> ApplicationOut:
    """Accept (受理): the statutory clock starts and `application-submitted` goes to casework and matching."""
    app = await service.accept(session, ctx, who, application_id)
    return await detail(session, ctx, app)


@router.post("/{application_id}/return", response_model=ApplicationOut, responses=_ERRORS)
async def return_application(
    application_id: str, body: ReturnIn, session: DbSession, ctx: IntakeCtx, who: Officer
) -> ApplicationOut:
    """Return for supplement with the complete list of what is missing; this happens at most once."""
    app = await service.return_for_supplement(session, ctx, who, application_id, body)
    return await detail(session, ctx, app)


@router.post("/{application_id}/extend", response_model=ApplicationOut, responses=_ERRORS)
async def extend_deadline(
    application_id: str, body: ReasonIn, session: DbSession, ctx: IntakeCtx, who: Officer
) -> ApplicationOut:
    """Extend the deadline once, for a special case, to the region's extended limit (45 working days at most)."""
    app = await service.extend(session, ctx, who, application_id, body.reason)
    return await detail(session, ctx, app)


@router.post("/{application_id}/withdraw", response_model=ApplicationOut, responses=_ERRORS)
async def withdraw_application(
    application_id: str, body: ReasonIn, session: DbSession, ctx: IntakeCtx, who: Officer
) -> ApplicationOut:
    """Withdraw at the applicant's request; an accepted application's withdrawal is announced to casework."""
    app = await service.withdraw(session, ctx, who, application_id, body.reason)
    return await detail(session, ctx, app)


@dataclass(frozen=True)
class Listed:
    """What the list and its ledger are asked for: the filters, checked against the jurisdiction, on the day read."""

    filter: repo.ApplicationFilter
    today: dt.date


RegionQuery = Annotated[str | None, Query(pattern=r"^[0-9]{2,12}$")]
IdNumberQuery = Annotated[str | None, Query(max_length=32, description="Applications naming this person")]


def _listed(
    ctx: IntakeCtx,
    who: Reader,
    status: ApplicationStatus | None = None,
    program: Program | None = None,
    region_code: RegionQuery = None,
    due_before: CivilDate | None = None,
    overdue: bool = False,
    id_number: IdNumberQuery = None,
) -> Listed:
    """The list's filters (shared by the list and its ledger), checked against the jurisdiction."""
    today = business_date(ctx.now())
    prefix = jurisdiction_prefix(who, region_code)
    person_hash = None
    if id_number is not None:
        try:
            person_hash = ctx.hash(IdNumber.parse(id_number).value)
        except InvalidIdNumber as error:
            raise InvalidIdNumberQuery(
                error.message, errors=[{"loc": ["query", "id_number"], "msg": error.message}]
            ) from None
    f = repo.ApplicationFilter(
        region_prefix=prefix,
        status=status,
        program=program,
        due_before=due_before,
        overdue_on=today if overdue else None,
        person_hash=person_hash,
    )
    return Listed(f, today)


Listing = Annotated[Listed, Depends(_listed)]


@router.get("/export.xlsx", response_class=StreamingResponse, responses={**WORKBOOK, **_ERRORS})
async def export_applications(
    session: DbSession,
    ctx: IntakeCtx,
    who: Reader,
    asked: Listing,
    whole: WholeNumbers = False,
) -> StreamingResponse:
    """救助申请受理台账: the applications of the list's filters, in its order, as an Excel ledger with region names;
    identity and account numbers masked unless a county officer asks for them whole (audited)."""
    f, today = asked.filter, asked.today
    whole = whole_numbers(who, whole)
    names = await names_under(session, tables.region_names, f.region_prefix)
    pages = ledger.pages(session, ctx, f, names, today, whole=whole)
    return await export_region(ledger.SHEET, pages, names, f.region_prefix, today=today, whole=whole)


@router.get("/counts", response_model=WorkCounts, responses=_ERRORS)
async def count_applications(
    session: DbSession,
    ctx: IntakeCtx,
    who: Reader,
    region_code: RegionQuery = None,
) -> WorkCounts:
    """How many applications there are in your jurisdiction (or `region_code` in it) by status, and how many
    accepted ones are past their due date."""
    return await repo.counts(session, jurisdiction_prefix(who, region_code), business_date(ctx.now()))


@router.get("/{application_id}/content", response_model=ApplicationIn, responses=_ERRORS)
async def editable_content(
    application_id: str, response: Response, session: DbSession, ctx: IntakeCtx, who: Filer
) -> ApplicationIn:
    """The declared content of a draft or returned application as its filer typed it (identity and account numbers
    unmasked), so a draft saved yesterday can be taken up again, step by step, and sent back with `PUT`. Recorded in
    the access audit (`application.content_revealed`)."""
    body = await service.editable_content(session, ctx, who, application_id)
    note(response, "application.content_revealed", f"application/{application_id}")
    return body


@router.get("/{application_id}", response_model=ApplicationOut, responses=_ERRORS)
async def get_application(application_id: str, session: DbSession, ctx: IntakeCtx, who: Reader) -> ApplicationOut:
    """One application with its declared content (identity numbers and account masked) and its full history."""
    app = await service.visible(session, who, application_id)
    return await detail(session, ctx, app)


@router.get("", response_model=Page[ApplicationSummary], responses=_ERRORS)
async def list_applications(
    session: DbSession,
    asked: Listing,
    page: Paging,
) -> Page[ApplicationSummary]:
    """Applications in your jurisdiction: accepted ones first, earliest due first (so the overdue lead), then those
    awaiting acceptance, then closed ones."""
    rows = await repo.search(session, asked.filter, page.after(tuple[int, dt.date, str]), page.limit)
    return page.of(rows, key=repo.sort_key, item=lambda a: summary(a, asked.today))
