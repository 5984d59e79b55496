"""Use cases of an application, from first contact to acceptance (DOMAIN.md §3.1–3.3). Never commits: the request
(or the handled event) owns the transaction, so the state, the history and the outbox row commit together.
"""

from __future__ import annotations

import uuid

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.clock import business_date
from libs.contracts.events.base import EventPayload
from libs.contracts.events.casework import CaseDecided
from libs.contracts.id_number import mask_name
from libs.contracts.stored import STORED
from libs.kernel.auth import Principal, ensure_jurisdiction
from libs.kernel.lookup import found_within
from services.intake.application import events
from services.intake.application import repository as repo
from services.intake.application.conflicts import ensure_no_conflict
from services.intake.application.errors import (
    AlreadyExtended,
    AlreadyReturned,
    ApplicationNotFound,
    InvalidStatus,
    LeadImmutable,
    RulesBroken,
)
from services.intake.application.models import Application, ApplicationHistory, ApplicationPerson, ApplicationVersion
from services.intake.application.rules import (
    ALLOWED_FROM,
    Violation,
    check_application,
    claimed_id_numbers,
    submission_violations,
)
from services.intake.application.schemas import ApplicationIn, ApplicationStatus, ReturnIn
from services.intake.context import Intake
from services.intake.lead import service as lead_service
from services.intake.local_figures.repository import RULES, deadline
from services.intake.relatives.errors import RecusalRequired
from services.intake.relatives.register import ensure_not_registered_relative

# Spelt before `seal_context` existed; the string is bound into every value sealed under it, so it stays.
SEAL_CONTEXT = "intake.application_versions.content_sealed"


def seal(ctx: Intake, body: ApplicationIn) -> str:
    return ctx.seal(body.model_dump_json(), SEAL_CONTEXT)


def unseal(ctx: Intake, sealed: str) -> ApplicationIn:
    # Read back as stored: a draft saved under older entry rules still opens (libs.contracts.stored).
    return ApplicationIn.model_validate_json(ctx.open(sealed, SEAL_CONTEXT), context=STORED)


def raise_violations(violations: list[Violation], root: str = "body") -> None:
    """422 naming every field at fault: in the request `body`, or in the stored `application` being submitted."""
    if violations:
        raise RulesBroken(violations, root)


def _recused(principal: Principal, users: list[str], names: list[str]) -> bool:
    # By user id when the declaration gives it; by real name otherwise (a namesake is refused too: recusal errs on
    # the side of keeping a relative's hands off, DOMAIN.md §7).
    return principal.subject in users or (bool(principal.display_name) and principal.display_name in names)


def _ensure_not_recused(principal: Principal, users: list[str], names: list[str]) -> None:
    if _recused(principal, users, names):
        raise RecusalRequired("You are declared a close relative of this household and must recuse yourself")


def _recusal_lists(body: ApplicationIn) -> tuple[list[str], list[str]]:
    relatives = body.declarations.close_relative.relatives
    return sorted({r.staff_user for r in relatives if r.staff_user}), sorted({r.staff_name for r in relatives})


async def _ensure_not_related(session: AsyncSession, ctx: Intake, principal: Principal, body: ApplicationIn) -> None:
    """Refuse a relative of the household as the content states it: declared on it, or filed in casework's register
    as a relative of one of its members (an undeclared relation is caught too, DOMAIN.md §7)."""
    _ensure_not_recused(principal, *_recusal_lists(body))
    await ensure_not_registered_relative(session, principal, {ctx.hash(m.id_number) for m in body.members})


async def _content_violations(session: AsyncSession, ctx: Intake, body: ApplicationIn) -> list[Violation]:
    today = business_date(ctx.now())
    return check_application(body, today=today, figures=await RULES.figures_for(session, body.region_code, today))


async def _publish(session: AsyncSession, ctx: Intake, app: Application, payload: EventPayload) -> None:
    # An application has no household yet: its events are keyed by the applicant (CONTRACTS.md §6).
    await ctx.publish(session, payload, subject=f"application/{app.id}", key=app.applicant_hash)


def _history(
    ctx: Intake,
    app: Application,
    principal: Principal | None,
    action: str,
    note: str = "",
    detail: dict[str, object] | None = None,
) -> ApplicationHistory:
    return ApplicationHistory(
        application_id=app.id,
        at=ctx.now(),
        action=action,
        status=app.status,
        actor=principal.subject if principal else "casework",
        actor_name=(principal.display_name or principal.name) if principal else "casework",
        version=app.version,
        note=note,
        detail=detail or {},
    )


async def _write_version(session: AsyncSession, ctx: Intake, app: Application, body: ApplicationIn, by: str) -> None:
    """Store `body` as the application's next version and re-derive what lists and searches use."""
    now = ctx.now()
    app.version = (app.version or 0) + 1
    applicant = next(m for m in body.members if m.id_number == body.applicant_id_number)
    app.program = body.program.value
    app.region_code = body.region_code
    app.channel = body.channel.value
    app.emergency = body.emergency
    app.applicant_hash = ctx.hash(body.applicant_id_number)
    app.applicant_name_masked = mask_name(applicant.name)
    app.member_count = len(body.members)
    app.close_relative_declared = body.declarations.close_relative.declared
    app.recused_users, app.recused_names = _recusal_lists(body)
    app.updated_at = now
    session.add(
        ApplicationVersion(
            application_id=app.id, version=app.version, content_sealed=seal(ctx, body), created_by=by, created_at=now
        )
    )
    # What is sealed is this content, already validated: the detail view answering the request reads it from here.
    _remember_content(session, app, body)
    if app.version > 1:  # a new application has nobody to replace yet
        await session.execute(delete(ApplicationPerson).where(ApplicationPerson.application_id == app.id))
    claimed = set(claimed_id_numbers(body))
    people = {ctx.hash(m.id_number): ("claimed" if m.id_number in claimed else "member") for m in body.members}
    people |= {ctx.hash(o.id_number): "obligor" for o in body.obligors}
    session.add_all(ApplicationPerson(application_id=app.id, person_hash=h, role=r) for h, r in people.items())


async def create(session: AsyncSession, ctx: Intake, principal: Principal, body: ApplicationIn) -> Application:
    ensure_jurisdiction(principal, body.region_code)
    await _ensure_not_related(session, ctx, principal, body)
    raise_violations(await _content_violations(session, ctx, body))
    await ensure_no_conflict(session, ctx, body, exclude="")
    now = ctx.now()
    app_id = str(uuid.uuid4())
    if body.lead_id is not None:
        await lead_service.link_application(session, ctx, principal, body.lead_id, app_id, body.region_code)
    # The county's counter row stays locked until commit, so the number is taken last: concurrent filings in one
    # county wait for each other only at the end. Until then the row carries its id, which is unique too.
    app = Application(
        id=app_id,
        application_no=app_id,
        status=ApplicationStatus.DRAFT.value,
        lead_id=body.lead_id,
        created_by=principal.subject,
        created_at=now,
        version=0,
    )
    session.add(app)
    await _write_version(session, ctx, app, body, principal.subject)
    session.add(_history(ctx, app, principal, "created", detail={"channel": body.channel.value}))
    await session.flush()
    await repo.number_application(session, app, body.region_code[:6], business_date(now).year)
    return app


def _no_such(application_id: str) -> ApplicationNotFound:
    return ApplicationNotFound(f"No application {application_id}")


async def _locked(session: AsyncSession, principal: Principal, application_id: str) -> Application:
    """The application, locked for a step, inside the principal's jurisdiction."""
    return found_within(principal, await repo.get_for_update(session, application_id), _no_such(application_id))


async def _load(session: AsyncSession, principal: Principal, application_id: str, action: str) -> Application:
    app = await _locked(session, principal, application_id)
    await _ensure_may_act(session, principal, app)
    _ensure_allowed(app, action)
    return app


async def _load_with_content(
    session: AsyncSession, ctx: Intake, principal: Principal, application_id: str, action: str
) -> tuple[Application, ApplicationIn]:
    """`_load` for a step that reads the content anyway: the members it names are those `_ensure_may_act` looks up
    in the register, so they are hashed from it rather than read again from `application_persons` (the same people:
    `_write_version` derives those rows from this content; an obligor is never a member)."""
    app = await _locked(session, principal, application_id)
    _ensure_not_recused(principal, app.recused_users, app.recused_names)
    body = await current_content(session, ctx, app)
    await ensure_not_registered_relative(session, principal, {ctx.hash(m.id_number) for m in body.members})
    _ensure_allowed(app, action)
    return app, body


def _ensure_allowed(app: Application, action: str) -> None:
    if ApplicationStatus(app.status) not in ALLOWED_FROM[action]:
        raise InvalidStatus(f"Cannot {action} an application that is {app.status}", status_now=app.status)


async def _ensure_may_act(session: AsyncSession, principal: Principal, app: Application) -> None:
    """In jurisdiction, and no relative of the household: declared on it, or filed in casework's register as a
    relative of one of its members in the current version."""
    ensure_jurisdiction(principal, app.region_code)
    _ensure_not_recused(principal, app.recused_users, app.recused_names)
    await ensure_not_registered_relative(session, principal, await repo.member_hashes(session, app.id))


# The content of each application version this transaction has read or written, decoded: a step and the detail
# view it answers with read the same version, and opening and validating it twice cost as much as a query.
_CONTENT = "intake.application_content"


def _remember_content(session: AsyncSession, app: Application, body: ApplicationIn) -> None:
    session.info.setdefault(_CONTENT, {})[(app.id, app.version)] = body


async def current_content(session: AsyncSession, ctx: Intake, app: Application) -> ApplicationIn:
    known: dict[tuple[str, int], ApplicationIn] = session.info.get(_CONTENT, {})
    body = known.get((app.id, app.version))
    if body is None:
        sealed = await repo.sealed_content(session, app.id, app.version)
        assert sealed is not None, "every application has its current version"
        body = unseal(ctx, sealed)
        _remember_content(session, app, body)
    return body


async def update(
    session: AsyncSession, ctx: Intake, principal: Principal, application_id: str, body: ApplicationIn
) -> Application:
    app = await _load(session, principal, application_id, "update")
    ensure_jurisdiction(principal, body.region_code)
    await _ensure_not_related(session, ctx, principal, body)
    if body.lead_id != app.lead_id:
        raise LeadImmutable(
            "The lead of an application cannot change",
            errors=[{"loc": ["body", "lead_id"], "msg": "cannot change"}],
        )
    raise_violations(await _content_violations(session, ctx, body))
    await ensure_no_conflict(session, ctx, body, exclude=app.id)
    await _write_version(session, ctx, app, body, principal.subject)
    session.add(_history(ctx, app, principal, "updated"))
    return app


async def submit(session: AsyncSession, ctx: Intake, principal: Principal, application_id: str) -> Application:
    app, body = await _load_with_content(session, ctx, principal, application_id, "submit")
    raise_violations(await _content_violations(session, ctx, body) + submission_violations(body), "application")
    await ensure_no_conflict(session, ctx, body, exclude=app.id)
    app.status = ApplicationStatus.SUBMITTED.value
    app.submitted_at = app.updated_at = ctx.now()
    session.add(_history(ctx, app, principal, "submitted"))
    return app


async def accept(session: AsyncSession, ctx: Intake, principal: Principal, application_id: str) -> Application:
    """受理: the statutory clock starts (DOMAIN.md §3.3) and casework and matching hear of the application."""
    app, body = await _load_with_content(session, ctx, principal, application_id, "accept")
    now = ctx.now()
    day = business_date(now)
    due = await deadline(
        session, app.region_code, day, lambda f: f.emergency_days if app.emergency else f.decision_days
    )
    app.status = ApplicationStatus.ACCEPTED.value
    app.accepted_at = app.updated_at = now
    app.accepted_by = principal.subject
    app.due_date, app.due_date_provisional = due.date, due.provisional
    await _publish(session, ctx, app, events.submitted(ctx, app, body))
    session.add(
        _history(
            ctx, app, principal, "accepted", detail={"due_date": due.date.isoformat(), "provisional": due.provisional}
        )
    )
    return app


async def return_for_supplement(
    session: AsyncSession, ctx: Intake, principal: Principal, application_id: str, body: ReturnIn
) -> Application:
    app = await _load(session, principal, application_id, "return")
    if app.returned_at is not None:
        # 一次性告知: everything missing is listed the first time (seed 004 §4), so there is no second list.
        raise AlreadyReturned("The missing items were already listed once")
    app.status = ApplicationStatus.RETURNED.value
    app.returned_at = app.updated_at = ctx.now()
    app.missing_items = [item.model_dump() for item in body.missing]
    session.add(_history(ctx, app, principal, "returned", detail={"missing": app.missing_items}))
    return app


async def extend(
    session: AsyncSession, ctx: Intake, principal: Principal, application_id: str, reason: str
) -> Application:
    """The special-case extension (30 → 45 working days, seed 001 §4): once, with a reason, counted from acceptance."""
    app = await _load(session, principal, application_id, "extend")
    if app.extended_at is not None:
        raise AlreadyExtended("The deadline was already extended once")
    assert app.accepted_at is not None
    day = business_date(app.accepted_at)
    due = await deadline(session, app.region_code, day, lambda f: f.extended_days)
    now = ctx.now()
    app.due_date, app.due_date_provisional = due.date, due.provisional
    app.extended_at = app.updated_at = now
    app.extension_reason = reason
    await _publish(session, ctx, app, events.extended(app, reason, now))
    session.add(_history(ctx, app, principal, "extended", reason, {"due_date": due.date.isoformat()}))
    return app


async def withdraw(
    session: AsyncSession, ctx: Intake, principal: Principal, application_id: str, reason: str
) -> Application:
    app = await _load(session, principal, application_id, "withdraw")
    was_accepted = app.status == ApplicationStatus.ACCEPTED.value
    now = ctx.now()
    app.status = ApplicationStatus.WITHDRAWN.value
    app.withdrawn_at = app.updated_at = now
    app.withdrawal_reason = reason
    if was_accepted:
        # Only accepted applications were announced; casework and matching stop their work on it.
        await _publish(session, ctx, app, events.withdrawn(app, reason, now))
    session.add(_history(ctx, app, principal, "withdrawn", reason))
    return app


async def record_decision(session: AsyncSession, ctx: Intake, decided: CaseDecided) -> None:
    """Casework decided the case an application opened: the application closes with that decision."""
    if decided.application_id is None:
        return
    app = await repo.get_for_update(session, decided.application_id)
    if app is None:
        return
    summary: dict[str, object] = {
        "case_id": decided.case_id,
        "outcome": decided.outcome.value,
        "reasons": list(decided.reasons),
    }
    if app.status != ApplicationStatus.ACCEPTED.value:
        # A decision crossing a withdrawal (or a second decision) is kept in the history, not applied.
        session.add(_history(ctx, app, None, "decision_received", f"not applied: application is {app.status}", summary))
        return
    app.status = ApplicationStatus.DECIDED.value
    app.decided_at = decided.decided_at
    app.updated_at = ctx.now()
    app.decision_case_id = decided.case_id
    app.decision_outcome = decided.outcome.value
    app.decision_reasons = list(decided.reasons)
    app.decision_effective_month = decided.effective_month
    session.add(_history(ctx, app, None, "decided", detail={**summary, "effective_month": decided.effective_month}))


async def editable_content(
    session: AsyncSession, ctx: Intake, principal: Principal, application_id: str
) -> ApplicationIn:
    """The declared content of a draft or returned application, unmasked, for the filer who goes on editing it.

    Only content that may still change is given out (once submitted, the masked detail is what staff read), and only to
    someone who could replace it: in jurisdiction, not recused."""
    app = await visible(session, principal, application_id)
    await _ensure_may_act(session, principal, app)
    if ApplicationStatus(app.status) not in ALLOWED_FROM["update"]:
        raise InvalidStatus(f"Only a draft or returned application can be edited; this one is {app.status}",
                            status_now=app.status)  # fmt: skip
    return await current_content(session, ctx, app)


async def visible(session: AsyncSession, principal: Principal, application_id: str) -> Application:
    return found_within(principal, await repo.get(session, application_id), _no_such(application_id))
