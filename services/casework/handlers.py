"""The use cases of the events that trigger a review, wired in subscriptions.py (one message = one transaction,
CONTRACTS.md §6).

Triggers open at most one review each: the case is keyed by the trigger's own reference (a hit id, a complaint id,
a roster line, a person's death in a household), so a repeated event, or the same fact sent again in another
event, opens nothing new.
"""

from __future__ import annotations

import structlog
from pydantic import JsonValue
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.events.complaints import ComplaintSubstantiated
from libs.contracts.events.disbursement import OverpaymentDetected, PaymentFailed
from libs.contracts.events.intake import ReviewRequested
from libs.contracts.events.matching import DeathDetected, MatchHitConfirmed
from services.casework.case.deaths import death_review_ref
from services.casework.case.opening import open_triggered
from services.casework.case.rules import Trigger
from services.casework.context import Casework
from services.casework.registry.models import Household
from services.casework.registry.service import find_active_household_of

_log = structlog.get_logger("casework.handlers")


async def _review(
    session: AsyncSession,
    ctx: Casework,
    household_id: str,
    trigger: Trigger,
    ref: str,
    summary: str,
    detail: dict[str, JsonValue],
    case_id: str | None = None,
) -> None:
    if await session.get(Household, household_id) is None:
        # Not a household casework holds (e.g. closed and purged in another deployment): nothing to review.
        _log.warning("case.trigger_unmatched", trigger=trigger.value, household_id=household_id)
        return
    await open_triggered(
        session,
        ctx,
        household_id=household_id,
        trigger=trigger,
        trigger_ref=ref,
        summary=summary,
        actor=trigger.value,
        detail=detail,
        case_id=case_id,
    )


async def death_detected(session: AsyncSession, ctx: Casework, e: DeathDetected) -> None:
    """A death opens a stop/adjust review of each household affected (DOMAIN.md §5); disbursement holds payment."""
    person = ctx.hash(e.person.id_number)
    for household_id in e.household_ids:
        await _review(
            session,
            ctx,
            household_id,
            Trigger.DEATH,
            # The same death reported again (another feed, a repeat) is the same fact: one case per household.
            death_review_ref(person, household_id),
            f"死亡 death on {e.death_date.isoformat()} ({e.source})",
            {
                "deceased_id_number": e.person.id_number,
                "death_date": e.death_date.isoformat(),
                "source": e.source,
                "feed_id": e.feed_id,
            },
        )


async def hit_confirmed(session: AsyncSession, ctx: Casework, e: MatchHitConfirmed) -> None:
    await _review(
        session,
        ctx,
        e.household_id,
        Trigger.HIT,
        e.hit_id,
        f"疑点核实 confirmed hit {e.rule} ({e.source}): {e.suggested_action}",
        {"hit_id": e.hit_id, "rule": e.rule, "source": e.source, "severity": e.severity, "evidence": e.evidence},
    )


async def complaint_substantiated(session: AsyncSession, ctx: Casework, e: ComplaintSubstantiated) -> None:
    household_id = e.household_id
    if household_id is None and e.person is not None:
        found = await find_active_household_of(session, ctx.hash(e.person.id_number))
        household_id = found.id if found else None
    if household_id is None:
        # About someone who is not a recipient (a wrongful exclusion is intake's, as a lead).
        _log.warning("case.trigger_unmatched", trigger=Trigger.COMPLAINT.value, complaint_id=e.complaint_id)
        return
    await _review(
        session,
        ctx,
        household_id,
        Trigger.COMPLAINT,
        e.complaint_id,
        f"举报属实 complaint {e.work_order_no or e.complaint_id} {e.finding.value}: {e.summary}"[:2000],
        {"complaint_id": e.complaint_id, "category": e.category, "finding": e.finding.value},
    )


async def review_requested(session: AsyncSession, ctx: Casework, e: ReviewRequested) -> None:
    """A provincial warning about a recipient: the review takes the case id intake already gave the province."""
    await _review(
        session,
        ctx,
        e.household_id,
        Trigger.PROVINCE_WARNING,
        f"{e.source}:{e.source_ref}",
        f"省级预警 provincial warning {e.reason.value}: {e.detail}"[:2000],
        {"reason": e.reason.value, "source_ref": e.source_ref},
        case_id=e.case_id,
    )


async def payment_failed(session: AsyncSession, ctx: Casework, e: PaymentFailed) -> None:
    await _review(
        session,
        ctx,
        e.household_id,
        Trigger.PAYMENT_FAILED,
        e.line_id,
        f"发放失败 payment failed {e.period} {e.program.value} {e.amount}: {e.failure_reason}",
        {"roster_id": e.roster_id, "line_id": e.line_id, "period": e.period, "reason": e.failure_reason},
    )


async def overpayment_detected(session: AsyncSession, ctx: Casework, e: OverpaymentDetected) -> None:
    months = ",".join(e.months)
    await _review(
        session,
        ctx,
        e.household_id,
        Trigger.OVERPAYMENT,
        # One order per household, program and months: two households overpaid for the same month are two reviews.
        f"{e.household_id}:{e.program.value}:{months}",
        f"追回 overpayment {e.amount} for {months} ({e.reason.value})",
        {"program": e.program.value, "months": list(e.months), "amount": e.amount, "reason": e.reason.value},
    )
