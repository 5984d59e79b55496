"""A recovery order's balance: deducted on rosters sent (lines not failed), collected by staff, waived by the county."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.programs import Program
from libs.kernel.auth import Principal
from services.disbursement.ceilings import ensure_over_months
from services.disbursement.context import Disbursement
from services.disbursement.entitlements.counties import touch
from services.disbursement.errors import InvalidAmount
from services.disbursement.recoveries.errors import AmountExceedsOutstanding, RecoveryClosed
from services.disbursement.recoveries.models import Recovery, RecoveryCollection, RecoveryStatus
from services.disbursement.recoveries.repository import deducted


def outstanding(recovery: Recovery, deducted_fen: int) -> int:
    return recovery.amount_fen - deducted_fen - recovery.collected_fen - recovery.waived_fen


async def refresh(session: AsyncSession, ctx: Disbursement, ids: Sequence[str]) -> None:
    """Open while anything is outstanding (a failed line gives its deduction back), recovered when nothing is."""
    if not ids:
        return
    taken = await deducted(session, ids)
    for recovery in await session.scalars(select(Recovery).where(Recovery.id.in_(ids))):
        _settle(recovery, taken.get(recovery.id, 0), ctx.now(), by="disbursement")


def _settle(recovery: Recovery, deducted_fen: int, now: dt.datetime, *, by: str) -> None:
    if recovery.status == RecoveryStatus.WAIVED.value:
        return
    if outstanding(recovery, deducted_fen) <= 0:
        if recovery.status != RecoveryStatus.RECOVERED.value:
            recovery.status, recovery.closed_at, recovery.closed_by = RecoveryStatus.RECOVERED.value, now, by
    else:
        recovery.status, recovery.closed_at, recovery.closed_by = RecoveryStatus.OPEN.value, None, None


async def collect(
    session: AsyncSession,
    ctx: Disbursement,
    recovery: Recovery,
    *,
    amount_fen: int,
    received_on: dt.date,
    note: str,
    who: Principal,
) -> RecoveryCollection:
    """Money paid back outside the rosters (cash at the bureau, a transfer), at most what is outstanding."""
    if amount_fen <= 0:
        raise InvalidAmount("A collection is more than zero")
    # No order is owed more than its program pays for the months it covers; beyond is a typo of scale.
    ensure_over_months(Program(recovery.program), len(recovery.months), amount_fen, ["body", "amount"])
    if recovery.status != RecoveryStatus.OPEN.value:
        raise RecoveryClosed(f"Recovery {recovery.id} is {recovery.status}")
    taken = (await deducted(session, [recovery.id])).get(recovery.id, 0)
    left = outstanding(recovery, taken)
    if amount_fen > left:
        raise AmountExceedsOutstanding(f"Only {left / 100:.2f} is outstanding on recovery {recovery.id}")
    collection = RecoveryCollection(
        id=str(uuid.uuid4()),
        recovery_id=recovery.id,
        amount_fen=amount_fen,
        received_on=received_on,
        note=note,
        recorded_at=ctx.now(),
        recorded_by=who.subject,
    )
    session.add(collection)
    recovery.collected_fen += amount_fen
    _settle(recovery, taken, ctx.now(), by=who.subject)
    await session.flush()
    await touch(session, ctx, {recovery.county_code})
    return collection


async def waive(session: AsyncSession, ctx: Disbursement, recovery: Recovery, *, reason: str, who: Principal) -> None:
    """The county writes off what is outstanding (核销), with its reason: nothing more is deducted."""
    if recovery.status != RecoveryStatus.OPEN.value:
        raise RecoveryClosed(f"Recovery {recovery.id} is {recovery.status}")
    taken = (await deducted(session, [recovery.id])).get(recovery.id, 0)
    recovery.waived_fen += outstanding(recovery, taken)
    recovery.status, recovery.closed_at, recovery.closed_by = RecoveryStatus.WAIVED.value, ctx.now(), who.subject
    recovery.waive_reason = reason
    await session.flush()
    await touch(session, ctx, {recovery.county_code})
