"""Opening cases (DOMAIN.md §3, §4): from an accepted application, from the review calendar, and from triggers.

A case is identified by what opened it (`trigger`, `trigger_ref`), unique in the table, so the same application,
hit, complaint or review date delivered twice opens one case. Close relatives are detected when a case opens
(DOMAIN.md §7): declared ones from the application, undeclared ones from the register.
"""

from __future__ import annotations

import datetime as dt
import uuid

import structlog
from pydantic import JsonValue
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.clock import business_date
from libs.contracts.events.intake import ApplicationSubmitted
from libs.contracts.id_number import mask_name
from libs.modules.work_calendar import load_work_calendar
from services.casework.case import content as case_content
from services.casework.case.history import record
from services.casework.case.models import Case, CasePerson
from services.casework.case.rules import OPEN_STATUSES, REVIEW_WORKING_DAYS, CaseKind, Trigger, first_status
from services.casework.context import Casework
from services.casework.db import calendar_years
from services.casework.registry.models import Household
from services.casework.registry.state import load_state
from services.casework.relatives import service as relatives_service
from services.casework.relatives.models import Recusal

_log = structlog.get_logger("casework.cases")


async def find(session: AsyncSession, trigger: Trigger, trigger_ref: str) -> Case | None:
    stmt = select(Case).where(Case.trigger == trigger, Case.trigger_ref == trigger_ref)
    return (await session.scalars(stmt)).first()


async def _insert(session: AsyncSession, case: Case, person_hashes: set[str]) -> bool:
    """Insert the case unless its trigger already opened one (a concurrent delivery): returns whether it did."""
    try:
        async with session.begin_nested():
            session.add(case)
            await session.flush()
            session.add_all(CasePerson(case_id=case.id, person_hash=h) for h in person_hashes)
            await session.flush()
    except IntegrityError:
        return False
    return True


async def _review_due(session: AsyncSession, ctx: Casework) -> tuple[dt.date, bool]:
    due = (await load_work_calendar(session, calendar_years)).add_working_days(
        business_date(ctx.now()), REVIEW_WORKING_DAYS
    )
    return due.date, due.provisional


async def _detect_relatives(session: AsyncSession, ctx: Casework, case: Case, hashes: set[str]) -> None:
    found = await relatives_service.detect_for_people(
        session, ctx, subject_kind="case", subject_id=case.id, person_hashes=hashes
    )
    if found:
        case.close_relative_detected = True
        case.county_investigation = True


async def open_application(session: AsyncSession, ctx: Casework, e: ApplicationSubmitted) -> Case | None:
    """The case of an accepted application; None if it is open already."""
    if await find(session, Trigger.APPLICATION, e.application_id) is not None:
        return None
    now = ctx.now()
    content = case_content.from_application(e)
    case = Case(
        id=f"case-{uuid.uuid4()}",
        kind=CaseKind.APPLICATION,
        trigger=Trigger.APPLICATION,
        trigger_ref=e.application_id,
        application_id=e.application_id,
        application_no=e.application_no,
        program=e.program,
        region_code=e.region_code,
        status=first_status(CaseKind.APPLICATION),
        applicant_name_masked=mask_name(e.applicant.name),
        member_count=len(e.members),
        due_date=e.due_date,
        due_date_provisional=e.due_date_provisional,
        emergency=e.emergency,
        close_relative_declared=e.close_relative.declared,
        # Declared close-relative cases are investigated by the county (DOMAIN.md §3.5).
        county_investigation=e.close_relative.declared,
        content_sealed=content.seal(ctx),
        trigger_summary=f"申请 application {e.application_no}",
        reasons=[],
        version=1,
        opened_at=now,
        updated_at=now,
    )
    hashes = {ctx.hash(m.id_number) for m in e.members}
    if not await _insert(session, case, hashes):
        return None
    for r in e.close_relative.relatives:
        session.add(
            Recusal(
                subject_kind="case",
                subject_id=case.id,
                staff_user=r.staff_user,
                staff_name=r.staff_name,
                relation=r.relation.value,
                source="declared",
                recorded_at=now,
            )
        )
    await _detect_relatives(session, ctx, case, hashes)
    record(session, case, actor="intake", action="opened", status_from=None, detail=case.trigger_summary, at=now)
    _log.info("case.opened", case_id=case.id, trigger=case.trigger, application_id=e.application_id)
    return case


async def open_triggered(
    session: AsyncSession,
    ctx: Casework,
    *,
    household_id: str,
    trigger: Trigger,
    trigger_ref: str,
    summary: str,
    actor: str,
    detail: dict[str, JsonValue] | None = None,
    case_id: str | None = None,
    due_date: dt.date | None = None,
    campaign_id: str | None = None,
    simplified: bool = False,
) -> tuple[Case, bool]:
    """A review of `household_id` opened by `trigger`; the existing case and False if this trigger opened one.
    A campaign's review names its campaign, is due at the window's end and may follow the simplified review."""
    existing = await find(session, trigger, trigger_ref)
    if existing is not None:
        return existing, False
    household = await session.get(Household, household_id)
    if household is None:
        raise LookupError(household_id)
    state = await load_state(session, ctx, household)
    now = ctx.now()
    due, provisional = (due_date, False) if due_date is not None else await _review_due(session, ctx)
    programs = list(state.programs()) or ["dibao"]
    head = state.head()
    case = Case(
        id=case_id or f"case-{uuid.uuid4()}",
        kind=CaseKind.PERIODIC if trigger in (Trigger.PERIODIC, Trigger.CAMPAIGN) else CaseKind.TRIGGERED,
        trigger=trigger,
        trigger_ref=trigger_ref,
        household_id=household.id,
        program=programs[0],
        region_code=household.region_code,
        status=first_status(CaseKind.TRIGGERED),
        applicant_name_masked=mask_name(head.name) if head else "*",
        member_count=len(state.members),
        due_date=due,
        due_date_provisional=provisional,
        # Households with a filed relative are investigated by the county at every cycle (DOMAIN.md §7).
        county_investigation=household.close_relative,
        close_relative_detected=household.close_relative,
        content_sealed=case_content.from_household(state, detail or {}).seal(ctx),
        trigger_summary=summary[:2000],
        reasons=[],
        version=1,
        opened_at=now,
        updated_at=now,
        campaign_id=campaign_id,
        simplified_review=simplified,
    )
    hashes = {ctx.hash(m.id_number) for m in state.members}
    if not await _insert(session, case, hashes):
        found = await find(session, trigger, trigger_ref)
        assert found is not None
        return found, False
    await _detect_relatives(session, ctx, case, hashes)
    record(session, case, actor=actor, action="opened", status_from=None, detail=case.trigger_summary, at=now)
    _log.info("case.opened", case_id=case.id, trigger=case.trigger, household_id=household.id)
    return case, True


def under_periodic_review() -> ColumnElement[bool]:
    """The household (correlated) has a periodic review open: its calendar's or an annual campaign's."""
    return (
        select(Case.id)
        .where(
            Case.household_id == Household.id,
            Case.kind == CaseKind.PERIODIC,
            Case.status.in_([s.value for s in OPEN_STATUSES]),
        )
        .exists()
    )


async def open_due_reviews(session: AsyncSession, ctx: Casework, *, limit: int = 500) -> int:
    """Open the periodic review of every active household whose review date has come (the review calendar); one
    already under a periodic review (an annual campaign's, issue 21) waits for it: its decision sets the next date."""
    today = business_date(ctx.now())
    already = (
        select(Case.id)
        .where(
            Case.trigger == Trigger.PERIODIC,
            Case.trigger_ref == Household.id + ":" + func.to_char(Household.next_review_date, "YYYY-MM-DD"),
        )
        .exists()
    )
    stmt = (
        select(Household.id, Household.next_review_date)
        .where(Household.status == "active", Household.next_review_date <= today, ~already, ~under_periodic_review())
        .order_by(Household.next_review_date, Household.id)
        .limit(limit)
    )
    opened = 0
    for household_id, review_date in (await session.execute(stmt)).all():
        assert review_date is not None  # selected by next_review_date <= today
        _case, created = await open_triggered(
            session,
            ctx,
            household_id=household_id,
            trigger=Trigger.PERIODIC,
            trigger_ref=f"{household_id}:{review_date.isoformat()}",
            summary=f"定期复核 periodic review due {review_date.isoformat()}",
            actor="review-calendar",
        )
        opened += created
    return opened
