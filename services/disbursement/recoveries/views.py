"""Recovery orders as county staff see them: the amount, and what was deducted, collected, waived and is left."""

from __future__ import annotations

from collections.abc import Iterable

from libs.kernel.presenters import from_row
from services.disbursement.months import period_of
from services.disbursement.recoveries.models import Recovery, RecoveryCollection
from services.disbursement.recoveries.schemas import CollectionOut, RecoveryOut
from services.disbursement.recoveries.service import outstanding
from services.disbursement.views import yuan


def recovery_out(r: Recovery, deducted: int) -> RecoveryOut:
    return from_row(
        RecoveryOut,
        r,
        recovery_id=r.id,
        months=[period_of(m) for m in r.months],
        amount=yuan(r.amount_fen),
        deducted=yuan(deducted),
        collected=yuan(r.collected_fen),
        waived=yuan(r.waived_fen),
        outstanding=yuan(max(outstanding(r, deducted), 0)),
    )


def recovery_outs(rows: Iterable[Recovery], deducted: dict[str, int]) -> list[RecoveryOut]:
    """Each order with what its rosters deducted (`repository.deducted`)."""
    return [recovery_out(r, deducted.get(r.id, 0)) for r in rows]


def collection_out(c: RecoveryCollection) -> CollectionOut:
    return from_row(CollectionOut, c, collection_id=c.id, amount=yuan(c.amount_fen))
