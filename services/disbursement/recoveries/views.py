"""Recovery orders as county staff see them: the amount, and what was deducted, collected, waived and is left."""

from __future__ import annotations

from collections.abc import Iterable

from services.disbursement.finance.views import yuan
from services.disbursement.months import period_of
from services.disbursement.recoveries.models import Recovery
from services.disbursement.recoveries.schemas import RecoveryOut
from services.disbursement.recoveries.service import outstanding


def recovery_out(r: Recovery, deducted: int) -> RecoveryOut:
    return RecoveryOut(
        recovery_id=r.id,
        household_id=r.household_id,
        entitlement_id=r.entitlement_id,
        county_code=r.county_code,
        program=r.program,
        reason=r.reason,
        months=[period_of(m) for m in r.months],
        amount=yuan(r.amount_fen),
        deducted=yuan(deducted),
        collected=yuan(r.collected_fen),
        waived=yuan(r.waived_fen),
        outstanding=yuan(max(outstanding(r, deducted), 0)),
        status=r.status,
        detail=r.detail,
        detected_at=r.detected_at,
        closed_at=r.closed_at,
        waive_reason=r.waive_reason,
    )


def recovery_outs(rows: Iterable[Recovery], deducted: dict[str, int]) -> list[RecoveryOut]:
    """Each order with what its rosters deducted (`repository.deducted`)."""
    return [recovery_out(r, deducted.get(r.id, 0)) for r in rows]
