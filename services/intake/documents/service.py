"""Print an application's notice: the kept one if printed before, else render, number and keep it."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Sequence
from dataclasses import replace

from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.clock import business_date
from libs.documents.render import render
from libs.documents.wording import document_number
from libs.kernel.auth import Principal
from libs.kernel.document_archive import KeptDocument, Rendered, Wanted, keep_or_render, kept_for
from libs.kernel.region_names import names_for
from services.intake.application import repository as repo
from services.intake.application.models import Application
from services.intake.application.service import current_content, visible
from services.intake.context import Intake
from services.intake.db import documents, tables
from services.intake.documents.errors import ApplicationDocumentNotAvailable
from services.intake.documents.wording import (
    NUMBER_WORD,
    ApplicationFacts,
    Missing,
    NoticeKind,
    acceptance_document,
    supplement_document,
)
from services.intake.local_figures.repository import RULES


def _event_time(app: Application, kind: NoticeKind) -> dt.datetime:
    """When the notice's event happened (its version): acceptance, or the return for supplement (only once)."""
    at = app.accepted_at if kind is NoticeKind.ACCEPTANCE else app.returned_at
    if at is None:
        what = "accepted" if kind is NoticeKind.ACCEPTANCE else "returned for supplement"
        raise ApplicationDocumentNotAvailable(f"Application {app.id} was not {what}", status_now=app.status)
    return at


async def _facts(
    session: AsyncSession, ctx: Intake, app: Application, kind: NoticeKind, at: dt.datetime
) -> ApplicationFacts:
    body = await current_content(session, ctx, app)
    applicant = next((m.name for m in body.members if m.id_number == body.applicant_id_number), "")
    names = await names_for(session, tables.region_names, [app.region_code])
    history = await repo.history_of(session, app.id)
    # The notice says what held at its event: the submission before it and, for acceptance, the due date then set
    # (a later extension has its own written notice and does not rewrite this one).
    submitted = [h.at for h in history if h.action == "submitted" and h.at <= at]
    accepted = [h for h in history if h.action == "accepted"]
    facts = ApplicationFacts(
        application_no=app.application_no,
        program=app.program,
        applicant=applicant or app.applicant_name_masked,
        address=names.path(app.region_code),
        county_name=names.name(app.region_code[:6]),
        township_name=names.name(app.region_code[:9]),
        member_count=app.member_count,
        submitted_on=business_date(submitted[-1]) if submitted else None,
        emergency=app.emergency,
    )
    day = business_date(at)
    if kind is NoticeKind.ACCEPTANCE:
        figures = await RULES.figures_for(session, app.region_code, day)
        due = accepted[0].detail.get("due_date") if accepted else None
        return replace(
            facts,
            accepted_on=day,
            time_limit_days=figures.emergency_days if app.emergency else figures.decision_days,
            due_date=dt.date.fromisoformat(due) if isinstance(due, str) else app.due_date,
        )
    missing = tuple(Missing(str(m.get("item", "")), str(m.get("note") or "")) for m in app.missing_items or ())
    return replace(facts, returned_on=day, missing=missing)


async def print_notice(
    session: AsyncSession, ctx: Intake, who: Principal, application_id: str, kind: NoticeKind
) -> KeptDocument:
    """The application's notice of `kind`: kept bytes when printed before, identical on every reprint."""
    app = await visible(session, who, application_id)
    at = _event_time(app, kind)
    facts = await _facts(session, ctx, app, kind, at)
    builder = acceptance_document if kind is NoticeKind.ACCEPTANCE else supplement_document
    issued_on = business_date(at)

    async def rendered(number: str) -> Rendered:
        doc = builder(facts, number)
        # Rendering takes a second of CPU: off the event loop.
        return Rendered(doc.title, await asyncio.to_thread(render, doc))

    wanted = Wanted(
        kind=kind.value,
        subject_id=app.id,
        source_key=at.isoformat(),
        region_code=app.region_code,
        household_id=None,
        issued_on=issued_on,
        created_by=who.subject,
    )

    def number_of(sequence: int) -> str:
        return document_number(facts.county_name, NUMBER_WORD, issued_on.year, sequence)

    return await keep_or_render(session, documents, wanted, number_of, rendered)


async def notices_of(session: AsyncSession, who: Principal, application_id: str) -> Sequence[KeptDocument]:
    app = await visible(session, who, application_id)
    return await kept_for(session, documents, app.id)
