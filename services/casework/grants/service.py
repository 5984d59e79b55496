"""Temporary grants (临时救助) paid once, off the monthly roster (seed 004 二(七), issue 20).

A township grants a small amount at first contact where the emergency happened (先行救助), within its region's
ceiling, and explains it afterwards; the county then confirms it or reclaims it. An application for temporary
assistance, decided with the shortened procedure, becomes a grant the same way (`grant_for_case`). Either way the
grant goes to disbursement as `temporary-grant-issued`, an off-cycle payment order for finance, and never becomes an
entitlement: nothing recurs, nothing is posted, and the person may apply again (once per cause and period, local).
The clock from discovery to payment runs on the working-day calendar.
"""

from __future__ import annotations

import datetime as dt
import uuid

import structlog
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.clock import business_date
from libs.contracts.events.base import PersonRef
from libs.contracts.events.grants import (
    GrantKind,
    GrantPaymentStatus,
    TemporaryGrantIssued,
    TemporaryGrantPaymentReported,
    TemporaryGrantReclaimed,
)
from libs.contracts.events.intake import BANK_ACCOUNT_SEAL_CONTEXT, SealedBankAccount, mask_account
from libs.contracts.id_number import mask_name
from libs.contracts.money import Money
from libs.contracts.programs import Program
from libs.kernel.auth import Principal, ensure_jurisdiction
from libs.kernel.context import seal_context
from libs.kernel.lookup import get_within
from libs.kernel.presenters import from_row
from libs.modules.work_calendar import load_work_calendar
from services.casework.ceilings import ensure_monthly
from services.casework.context import Casework
from services.casework.db import calendar_years
from services.casework.grants import rules
from services.casework.grants.errors import (
    AboveAdvanceCeiling,
    AboveGrantLimit,
    DiscoveredInFuture,
    DiscoveredTooLongAgo,
    GrantNotFound,
    GrantState,
    ReclaimReasonRequired,
    SameCauseHelped,
)
from services.casework.grants.models import Cause, Payment, Review, TemporaryGrant
from services.casework.grants.schemas import AdvanceIn, ExplanationIn, GrantAccount, ReissueIn, ReviewIn
from services.casework.local_figures.figures import Standards
from services.casework.local_figures.repository import standards_in_force
from services.casework.registry import service as registry

_log = structlog.get_logger("casework.grants")
# The grant's person (identity number and name), sealed apart from every other kind of value (stored data: fixed).
PERSON_CONTEXT = seal_context("casework", "grant-person")
_PROBLEMS = {"above_advance_ceiling": AboveAdvanceCeiling, "above_grant_limit": AboveGrantLimit}
_DISCOVERY = {"discovered_in_future": DiscoveredInFuture, "discovered_too_long_ago": DiscoveredTooLongAgo}


def sealed_account(ctx: Casework, account: GrantAccount) -> SealedBankAccount:
    return SealedBankAccount(
        bank_code=account.bank_code,
        holder_name=account.holder_name,
        account_no_masked=mask_account(account.account_no),
        account_no_sealed=ctx.seal(account.account_no, BANK_ACCOUNT_SEAL_CONTEXT),
    )


def _check_amount(fen: int, standards: Standards, family_size: int, *, advance: bool) -> None:
    ensure_monthly(Program.TEMPORARY, fen, ["body", "amount"])
    problems = rules.amount_problems(fen, standards, family_size, advance=advance)
    if problems:
        code, message = problems[0]
        raise _PROBLEMS[code](message, errors=[{"loc": ["body", "amount"], "msg": m, "type": c} for c, m in problems])


async def _ensure_cause_not_helped(
    session: AsyncSession, person_hash: str, cause: Cause, now: dt.datetime, standards: Standards
) -> None:
    since = rules.same_cause_window_start(now, standards)
    if since is None:
        return
    stmt = select(TemporaryGrant.id).where(
        TemporaryGrant.person_hash == person_hash,
        TemporaryGrant.cause == cause.value,
        TemporaryGrant.granted_at >= since,
        TemporaryGrant.review != Review.RECLAIMED.value,
    )
    earlier = (await session.scalars(stmt.limit(1))).first()
    if earlier is not None:
        raise SameCauseHelped(
            f"Helped for {cause.value} within {standards.temporary_same_cause_months} months (grant {earlier})",
            errors=[{"loc": ["body", "cause"], "msg": f"already helped: grant {earlier}"}],
            grant_id=earlier,
        )


async def _pay_by(session: AsyncSession, discovered_at: dt.datetime, standards: Standards) -> tuple[dt.date, bool]:
    calendar = await load_work_calendar(session, calendar_years)
    due = calendar.add_working_days(business_date(discovered_at), standards.temporary_emergency_days)
    return due.date, due.provisional


async def _new_grant(
    session: AsyncSession,
    ctx: Casework,
    *,
    kind: GrantKind,
    region_code: str,
    person: PersonRef,
    family_size: int,
    cause: Cause,
    situation: str,
    amount_fen: int,
    account: SealedBankAccount,
    discovered_at: dt.datetime,
    standards: Standards,
    granted_by: str,
    case_id: str | None = None,
) -> TemporaryGrant:
    person_hash = ctx.hash(person.id_number)
    household = await registry.find_active_household_of(session, person_hash)
    pay_by, provisional = await _pay_by(session, discovered_at, standards)
    now = ctx.now()
    grant = TemporaryGrant(
        id=f"grant-{uuid.uuid4()}",
        kind=kind.value,
        region_code=region_code,
        household_id=household.id if household else None,
        case_id=case_id,
        person_hash=person_hash,
        id_number_sealed=ctx.seal(person.id_number, PERSON_CONTEXT),
        name_masked=mask_name(person.name),
        name_sealed=ctx.seal(person.name, PERSON_CONTEXT),
        family_size=family_size,
        cause=cause.value,
        situation=situation,
        amount_fen=amount_fen,
        account=account.model_dump(mode="json"),
        discovered_at=discovered_at,
        pay_by=pay_by,
        pay_by_provisional=provisional,
        payment=Payment.ISSUED.value,
        attempt=1,
        review=(Review.EXPLANATION_DUE if kind is GrantKind.ADVANCE else Review.CONFIRMED).value,
        granted_at=now,
        granted_by=granted_by,
        updated_at=now,
    )
    session.add(grant)
    await session.flush()
    await _issue(session, ctx, grant)
    _log.info("grant.issued", grant_id=grant.id, kind=kind.value, region_code=region_code)
    return grant


def _key(grant: TemporaryGrant) -> str:
    # CONTRACTS.md §6: the household id, or the person's keyed hash where no household exists.
    return grant.household_id or grant.person_hash


async def _issue(session: AsyncSession, ctx: Casework, grant: TemporaryGrant) -> None:
    id_number = ctx.open(grant.id_number_sealed, PERSON_CONTEXT)
    await ctx.publish(
        session,
        from_row(
            TemporaryGrantIssued,
            grant,
            grant_id=grant.id,
            payee=PersonRef(id_number=id_number, name=ctx.open(grant.name_sealed, PERSON_CONTEXT)),
            amount=Money.from_fen(grant.amount_fen).to_str(),
            issued_at=ctx.now(),
            payment_account=SealedBankAccount.model_validate(grant.account),
        ),
        subject=f"grant/{grant.id}",
        key=_key(grant),
    )


async def grant_advance(session: AsyncSession, ctx: Casework, who: Principal, body: AdvanceIn) -> TemporaryGrant:
    """先行救助: granted now, paid within the clock, explained afterwards."""
    ensure_jurisdiction(who, body.region_code)
    now = ctx.now()
    problem = rules.discovery_problem(body.discovered_at, now)
    if problem is not None:
        raise _DISCOVERY[problem](
            "The discovery time cannot be an emergency handled now",
            errors=[{"loc": ["body", "discovered_at"], "msg": problem, "type": problem}],
        )
    standards = await standards_in_force(session, body.region_code, business_date(now))
    fen = Money.from_str(body.amount).fen
    _check_amount(fen, standards, body.family_size, advance=True)
    await _ensure_cause_not_helped(session, ctx.hash(body.person.id_number), body.cause, now, standards)
    return await _new_grant(
        session,
        ctx,
        kind=GrantKind.ADVANCE,
        region_code=body.region_code,
        person=PersonRef(id_number=body.person.id_number, name=body.person.name),
        family_size=body.family_size,
        cause=body.cause,
        situation=body.situation,
        amount_fen=fen,
        account=sealed_account(ctx, body.account),
        discovered_at=body.discovered_at,
        standards=standards,
        granted_by=who.subject,
    )


async def grant_for_case(
    session: AsyncSession,
    ctx: Casework,
    *,
    case_id: str,
    region_code: str,
    applicant: PersonRef,
    family_size: int,
    amount_fen: int,
    account: SealedBankAccount,
    discovered_at: dt.datetime,
    situation: str,
    decided_by: str,
) -> TemporaryGrant:
    """An approved application for temporary assistance: one payment, confirmed by its decision."""
    standards = await standards_in_force(session, region_code, business_date(ctx.now()))
    return await _new_grant(
        session,
        ctx,
        kind=GrantKind.ORDINARY,
        region_code=region_code,
        person=applicant,
        family_size=family_size,
        cause=Cause.OTHER,
        situation=situation,
        amount_fen=amount_fen,
        account=account,
        discovered_at=discovered_at,
        standards=standards,
        granted_by=decided_by,
        case_id=case_id,
    )


async def load(session: AsyncSession, who: Principal, grant_id: str, *, lock: bool = False) -> TemporaryGrant:
    missing = GrantNotFound(f"No temporary grant {grant_id}")
    return await get_within(session, who, TemporaryGrant, grant_id, missing, lock=lock)


async def explain(
    session: AsyncSession, ctx: Casework, who: Principal, grant_id: str, body: ExplanationIn
) -> TemporaryGrant:
    grant = await load(session, who, grant_id, lock=True)
    if grant.review != Review.EXPLANATION_DUE.value:
        raise GrantState(f"Grant {grant.id} is {grant.review}: only an advance awaiting its explanation takes one")
    grant.explanation = body.explanation
    grant.explained_at = grant.updated_at = ctx.now()
    grant.explained_by = who.subject
    grant.review = Review.TO_CONFIRM.value
    return grant


async def review(session: AsyncSession, ctx: Casework, who: Principal, grant_id: str, body: ReviewIn) -> TemporaryGrant:
    """The county confirms an explained advance, or reclaims it: disbursement then recovers what was paid."""
    grant = await load(session, who, grant_id, lock=True)
    if grant.review != Review.TO_CONFIRM.value:
        raise GrantState(f"Grant {grant.id} is {grant.review}: the county reviews an explained advance")
    if body.decision == "reclaim" and not body.reason.strip():
        raise ReclaimReasonRequired(
            "A reclaim needs its reason",
            errors=[{"loc": ["body", "reason"], "msg": "required to reclaim"}],
        )
    now = ctx.now()
    grant.review = (Review.CONFIRMED if body.decision == "confirm" else Review.RECLAIMED).value
    grant.review_reason = body.reason or None
    grant.reviewed_at = grant.updated_at = now
    grant.reviewed_by = who.subject
    if grant.review == Review.RECLAIMED.value:
        await ctx.publish(
            session,
            from_row(
                TemporaryGrantReclaimed,
                grant,
                grant_id=grant.id,
                amount=Money.from_fen(grant.amount_fen).to_str(),
                reason=body.reason,
                reclaimed_at=now,
            ),
            subject=f"grant/{grant.id}",
            key=_key(grant),
        )
    return grant


async def reissue(
    session: AsyncSession, ctx: Casework, who: Principal, grant_id: str, body: ReissueIn
) -> TemporaryGrant:
    """The bank refused the payment: the same grant again, to a corrected account, as a new attempt."""
    grant = await load(session, who, grant_id, lock=True)
    if grant.payment != Payment.FAILED.value or grant.review == Review.RECLAIMED.value:
        raise GrantState(f"Grant {grant.id} is {grant.payment}: only a failed payment is issued again")
    grant.account = sealed_account(ctx, body.account).model_dump(mode="json")
    grant.attempt += 1
    grant.payment = Payment.ISSUED.value
    grant.failure_reason = None
    grant.updated_at = ctx.now()
    await _issue(session, ctx, grant)
    return grant


async def payment_reported(session: AsyncSession, ctx: Casework, e: TemporaryGrantPaymentReported) -> None:
    """Finance's answer for the grant's order; an answer for an earlier attempt changes nothing."""
    grant = await session.get(TemporaryGrant, e.grant_id, with_for_update=True)
    if grant is None or e.attempt != grant.attempt or grant.payment != Payment.ISSUED.value:
        _log.warning("grant.payment_report_ignored", grant_id=e.grant_id, attempt=e.attempt)
        return
    if e.status is GrantPaymentStatus.PAID:
        grant.payment = Payment.PAID.value
        grant.paid_at = e.paid_at or e.reported_at
    else:
        grant.payment = Payment.FAILED.value
        grant.failure_reason = e.failure_reason
    grant.updated_at = ctx.now()
