"""Queries of recovery orders: what each has had deducted, and the orders a staff member may see."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import literal, select, text, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from libs.kernel.auth import Principal
from services.disbursement.entitlements.models import Entitlement
from services.disbursement.recoveries.errors import RecoveryNotFound
from services.disbursement.recoveries.models import Recovery, RecoveryCollection, RecoveryStatus

# What each order has had deducted on rosters locked or later, from lines not reported failed.
DEDUCTED = """
    SELECT i.recovery_id, sum(-i.amount_fen) AS fen
      FROM disbursement.line_items i
      JOIN disbursement.roster_lines l ON l.line_id = i.line_id
      JOIN disbursement.rosters r ON r.id = i.roster_id
     WHERE i.kind = 'recovery' AND l.status <> 'failed'
       AND r.status NOT IN ('draft', 'cancelled')
       AND i.recovery_id = ANY(:ids)
     GROUP BY i.recovery_id
"""


async def deducted(session: AsyncSession, ids: Sequence[str]) -> dict[str, int]:
    if not ids:
        return {}
    rows = (await session.execute(text(DEDUCTED), {"ids": list(ids)})).all()
    return {r.recovery_id: int(r.fen) for r in rows}


async def recovery_in(session: AsyncSession, who: Principal, recovery_id: str) -> Recovery:
    """The order, locked for a change, if its household (or else its county) lies in the caller's jurisdiction."""
    recovery = await session.get(Recovery, recovery_id, with_for_update=True)
    region = recovery and await session.scalar(
        select(Entitlement.region_code).where(Entitlement.entitlement_id == recovery.entitlement_id)
    )
    if recovery is None or not who.covers(region or recovery.region_code or recovery.county_code):
        raise RecoveryNotFound(f"No recovery order {recovery_id} in your jurisdiction")
    return recovery


@dataclass(frozen=True)
class RecoveryFilter:
    """What the list of recovery orders, and its ledger, may be narrowed to: a region prefix inside the reader's
    jurisdiction, a status, a household."""

    prefix: str
    status: RecoveryStatus | None = None
    household_id: str | None = None


async def recoveries_in(
    session: AsyncSession, where: RecoveryFilter, *, after: tuple[dt.datetime, str] | None, limit: int
) -> list[Recovery]:
    """Orders on households under the filter's prefix, newest first, after the keyset `after` (detected_at, id)."""
    stmt = select(Recovery).order_by(Recovery.detected_at.desc(), Recovery.id.desc()).limit(limit)
    # By the household's region, so a township sees the orders of its own households.
    # An order on a temporary grant has no entitlement: by the grant's own region.
    stmt = stmt.where(
        Recovery.entitlement_id.in_(
            select(Entitlement.entitlement_id).where(Entitlement.region_code.startswith(where.prefix))
        )
        | Recovery.region_code.startswith(where.prefix)
    )
    if where.status is not None:
        stmt = stmt.where(Recovery.status == where.status.value)
    if where.household_id:
        stmt = stmt.where(Recovery.household_id == where.household_id)
    if after is not None:
        stmt = stmt.where(tuple_(Recovery.detected_at, Recovery.id) < tuple_(literal(after[0]), literal(after[1])))
    return list((await session.scalars(stmt)).all())


async def household_recoveries(session: AsyncSession, household_id: str) -> list[Recovery]:
    stmt = select(Recovery).where(Recovery.household_id == household_id).order_by(Recovery.detected_at)
    return list((await session.scalars(stmt)).all())


async def collections_of(session: AsyncSession, recovery_id: str) -> list[RecoveryCollection]:
    """What was paid back on one order outside the rosters, in the order it was received."""
    found = await session.scalars(
        select(RecoveryCollection)
        .where(RecoveryCollection.recovery_id == recovery_id)
        .order_by(RecoveryCollection.received_on, RecoveryCollection.recorded_at)
    )
    return list(found)
