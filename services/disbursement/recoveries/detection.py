"""Overpayments (DOMAIN.md §9): a month paid more than is now due, after a death, a stop or a reduction, becomes a
recovery order and `overpayment-detected` for casework. A month counts once: an order settles what it recovers."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.entitlements import pays
from libs.contracts.events.disbursement import OverpaymentDetected, OverpaymentReason
from libs.contracts.money import Money
from libs.contracts.programs import Program
from services.disbursement.context import Disbursement
from services.disbursement.entitlements.models import Entitlement, SegmentOrigin
from services.disbursement.months import period_of
from services.disbursement.recoveries.models import Recovery, RecoveryMonth, RecoveryStatus

# Per month of the given entitlements: what lines reported paid sent (the month's regular amount, or arrears for it),
# less what is due now and what orders already recover.
_OVERPAID = text(
    """
    WITH sent AS (
        SELECT l.entitlement_id, l.period AS month, l.regular_fen AS fen
          FROM disbursement.roster_lines l
         WHERE l.entitlement_id = ANY(:ids) AND l.status = 'paid' AND l.regular_fen > 0
        UNION ALL
        SELECT i.entitlement_id, i.month, i.amount_fen
          FROM disbursement.line_items i JOIN disbursement.roster_lines l ON l.line_id = i.line_id
         WHERE i.entitlement_id = ANY(:ids) AND i.kind = 'arrears' AND l.status = 'paid'
    ), paid AS (
        SELECT entitlement_id, month, sum(fen) AS fen FROM sent GROUP BY entitlement_id, month
    ), recovered AS (
        SELECT entitlement_id, month, sum(amount_fen) AS fen
          FROM disbursement.recovery_months WHERE entitlement_id = ANY(:ids) GROUP BY entitlement_id, month
    )
    SELECT p.entitlement_id, p.month, p.fen - coalesce(s.due_fen, 0) - coalesce(r.fen, 0) AS over,
           coalesce(s.origin, 'casework') AS origin, coalesce(s.status, 'stopped') AS status
      FROM paid p
      LEFT JOIN disbursement.schedule_segments s
        ON s.entitlement_id = p.entitlement_id AND s.first_month <= p.month
       AND (s.last_month IS NULL OR s.last_month >= p.month)
      LEFT JOIN recovered r ON r.entitlement_id = p.entitlement_id AND r.month = p.month
     WHERE p.fen - coalesce(s.due_fen, 0) - coalesce(r.fen, 0) > 0
     ORDER BY p.entitlement_id, p.month
    """
)


def _reason(origin: str, status: str) -> OverpaymentReason:
    if origin == SegmentOrigin.DEATH.value:
        return OverpaymentReason.PAID_AFTER_DEATH
    # A month sent while casework had stopped or suspended it; a paying status means the amount came down.
    if not pays(status):
        return OverpaymentReason.PAID_AFTER_STOP
    return OverpaymentReason.OTHER


async def detect_overpayments(session: AsyncSession, ctx: Disbursement, entitlement_ids: Sequence[str]) -> list[str]:
    """Raise a recovery order per entitlement and reason for the months now overpaid; returns the new orders."""
    if not entitlement_ids:
        return []
    rows = (await session.execute(_OVERPAID, {"ids": list(entitlement_ids)})).all()
    if not rows:
        return []
    grouped: dict[tuple[str, OverpaymentReason], list[tuple[dt.date, int]]] = defaultdict(list)
    for row in rows:
        grouped[(row.entitlement_id, _reason(row.origin, row.status))].append((row.month, int(row.over)))
    ents = {
        e.entitlement_id: e
        for e in await session.scalars(
            select(Entitlement).where(Entitlement.entitlement_id.in_({k[0] for k in grouped}))
        )
    }
    created: list[str] = []
    for (entitlement_id, reason), months in grouped.items():
        ent = ents[entitlement_id]
        amount = sum(fen for _, fen in months)
        recovery = Recovery(
            id=str(uuid.uuid4()),
            household_id=ent.household_id,
            entitlement_id=entitlement_id,
            county_code=ent.county_code,
            program=ent.program,
            reason=reason.value,
            amount_fen=amount,
            months=[m for m, _ in months],
            detail=_detail(reason, months),
            detected_at=ctx.now(),
            collected_fen=0,
            waived_fen=0,
            status=RecoveryStatus.OPEN.value,
        )
        session.add(recovery)
        session.add_all(
            RecoveryMonth(recovery_id=recovery.id, month=m, entitlement_id=entitlement_id, amount_fen=fen)
            for m, fen in months
        )
        await ctx.publish(
            session,
            OverpaymentDetected(
                household_id=ent.household_id,
                program=Program(ent.program),
                months=tuple(period_of(m) for m, _ in months),
                amount=Money.from_fen(amount).to_str(),
                reason=reason,
                detail=recovery.detail,
                detected_at=recovery.detected_at,
            ),
            subject=f"household/{ent.household_id}",
            key=ent.household_id,
        )
        created.append(recovery.id)
    await session.flush()
    return created


def _detail(reason: OverpaymentReason, months: list[tuple[dt.date, int]]) -> str:
    what = {
        OverpaymentReason.PAID_AFTER_DEATH: "paid after a member's death",
        OverpaymentReason.PAID_AFTER_STOP: "paid after the entitlement stopped",
        OverpaymentReason.OTHER: "paid more than the amount now decided",
    }[reason]
    listed = ", ".join(f"{period_of(m)} {Money.from_fen(fen).to_str()}" for m, fen in months)
    return f"{what}: {listed}"
