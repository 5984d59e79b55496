"""Finance's answer for a grant's order line, and the county's reclaim of a grant (issue 20).

A grant is one payment, not an entitlement: a failed line reopens no ledger month, holds no household's account and
publishes no `payment-failed`; casework hears `temporary-grant-payment-reported` and issues the grant again (a new
attempt, a new order) to a corrected account. A reclaimed grant whose money is out becomes a recovery order (追缴),
collected or waived in the recovery lists; one reclaimed before its line is paid opens its order at the payment, and
one whose line failed has nothing to recover.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.events.grants import GrantPaymentStatus, TemporaryGrantPaymentReported, TemporaryGrantReclaimed
from libs.contracts.programs import Program
from services.disbursement.context import Disbursement
from services.disbursement.entitlements.counties import county_of
from services.disbursement.grants.models import GrantReclaim, TemporaryGrant
from services.disbursement.grants.orders import grant_fen
from services.disbursement.recoveries.models import Recovery, RecoveryStatus
from services.disbursement.rosters.models import LineStatus, Roster

# A recovery order's reason for a grant the county did not confirm (the entitlement reasons are OverpaymentReason's).
GRANT_RECLAIMED = "grant_reclaimed"


def event_key(grant: TemporaryGrant) -> str:
    # A household's events stay in order on one partition; a grant to a person outside any household is keyed by
    # the person's keyed hash, as casework keys events about a person.
    return grant.household_id or grant.payee_hash


async def reported(
    session: AsyncSession,
    ctx: Disbursement,
    order: Roster,
    rows: Sequence[Row[Any]],
    results: Mapping[str, Any],
) -> None:
    """The grant lines finance just reported (rows of the results' UPDATE … RETURNING; `results` by line id, as
    finance sent them), each told to casework."""
    for row in rows:
        grant = await session.get(TemporaryGrant, (row.grant_id, row.grant_attempt), with_for_update=True)
        assert grant is not None, f"line {row.line_id} names an unknown grant"
        result = results[row.line_id]
        paid = row.status == LineStatus.PAID.value
        grant.status = LineStatus.PAID.value if paid else LineStatus.FAILED.value
        await ctx.publish(
            session,
            TemporaryGrantPaymentReported(
                grant_id=grant.grant_id,
                attempt=grant.attempt,
                order_id=order.id,
                line_id=row.line_id,
                status=GrantPaymentStatus.PAID if paid else GrantPaymentStatus.FAILED,
                paid_at=result.paid_at if paid else None,
                failure_reason=None if paid else result.failure_reason,
                reported_at=ctx.now(),
            ),
            subject=f"grant/{grant.grant_id}",
            key=event_key(grant),
        )
        if paid:
            reclaim = await session.get(GrantReclaim, grant.grant_id, with_for_update=True)
            if reclaim is not None:
                await _open_recovery(session, ctx, reclaim, grant, order)


async def grant_reclaimed(session: AsyncSession, ctx: Disbursement, e: TemporaryGrantReclaimed) -> None:
    """Kept once per grant (a repeat changes nothing); its recovery order opens if a line of the grant is paid."""
    fen = grant_fen(e.grant_id, e.amount)
    await session.execute(
        insert(GrantReclaim)
        .values(
            grant_id=e.grant_id,
            region_code=e.region_code,
            household_id=e.household_id,
            amount_fen=fen,
            reason=e.reason,
            reclaimed_at=e.reclaimed_at,
            received_at=ctx.now(),
            recovery_id=None,
        )
        .on_conflict_do_nothing(index_elements=[GrantReclaim.grant_id])
    )
    reclaim = await session.get(GrantReclaim, e.grant_id, with_for_update=True, populate_existing=True)
    assert reclaim is not None
    paid = (
        await session.scalars(
            select(TemporaryGrant).where(
                TemporaryGrant.grant_id == e.grant_id, TemporaryGrant.status == LineStatus.PAID.value
            )
        )
    ).first()
    if paid is not None:
        order = await session.get(Roster, paid.order_id)
        assert order is not None
        await _open_recovery(session, ctx, reclaim, paid, order)


async def _open_recovery(
    session: AsyncSession, ctx: Disbursement, reclaim: GrantReclaim, grant: TemporaryGrant, order: Roster
) -> None:
    """One order per reclaim: what was paid, at most what the county reclaims."""
    if reclaim.recovery_id is not None:
        return
    recovery = Recovery(
        id=str(uuid.uuid4()),
        household_id=grant.household_id or "",
        # The grant id where an entitlement's would be: the order's grant, found by it in the lists.
        entitlement_id=grant.grant_id,
        county_code=county_of(grant.region_code),
        region_code=grant.region_code,
        program=Program.TEMPORARY.value,
        reason=GRANT_RECLAIMED,
        amount_fen=min(reclaim.amount_fen, grant.amount_fen),
        months=[order.period],
        detail=reclaim.reason,
        detected_at=ctx.now(),
        collected_fen=0,
        waived_fen=0,
        status=RecoveryStatus.OPEN.value,
    )
    session.add(recovery)
    reclaim.recovery_id = recovery.id
    await session.flush()
