"""Disbursement's monthly figures as grouped queries over its own ledgers (docs/architecture.md, "Statistics").

A month's payments are the lines of its monthly rosters as finance reported them (a roster withdrawn or still a
draft paid nothing); each line's items say how much of it was arrears, one-offs or deductions towards recoveries.
Holds are those in force at the month's end; recoveries count when detected, collections when received; temporary
grants when finance reported their line paid.
"""

from __future__ import annotations

from sqlalchemy import Select, and_, func, literal, or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.statistics.disbursement import HOLD_KINDS
from libs.modules.figures_tally import Rows, Scope
from services.disbursement.entitlements.models import Entitlement, Hold
from services.disbursement.grants.models import TemporaryGrant
from services.disbursement.recoveries.models import Recovery, RecoveryCollection
from services.disbursement.rosters.models import (
    ItemKind,
    LineItem,
    LineStatus,
    Roster,
    RosterKind,
    RosterLine,
    RosterStatus,
)

# A county's month is a hundred thousand lines; a city's a million: hash joins held in memory (bench/RESULTS.md).
WORK_MEM = "256MB"


def _rosters(scope: Scope) -> Select[str]:
    """The month's monthly rosters of the counties the region overlaps that went to finance."""
    return select(Roster.id).where(
        Roster.kind == RosterKind.MONTHLY.value,
        Roster.period == scope.month.first_day,
        Roster.status.not_in((RosterStatus.DRAFT.value, RosterStatus.CANCELLED.value)),
        or_(scope.within(Roster.region_code), literal(scope.region).startswith(Roster.region_code)),
    )


async def line_rows(session: AsyncSession, scope: Scope) -> Rows:
    await session.execute(text(f"SET LOCAL work_mem = '{WORK_MEM}'"))
    rosters = _rosters(scope).scalar_subquery()
    area = scope.area(RosterLine.region_code)
    paid = RosterLine.status == LineStatus.PAID.value
    lines = (
        select(
            area,
            RosterLine.program,
            func.count().filter(paid),
            func.count().filter(RosterLine.status == LineStatus.FAILED.value),
            func.count().filter(RosterLine.status == LineStatus.PENDING.value),
            func.coalesce(func.sum(RosterLine.regular_fen).filter(paid), 0),
            func.coalesce(func.sum(RosterLine.amount_fen).filter(paid), 0),
            func.coalesce(func.sum(RosterLine.amount_fen).filter(RosterLine.status == LineStatus.FAILED.value), 0),
        )
        .where(RosterLine.roster_id.in_(rosters), scope.within(RosterLine.region_code))
        .group_by(area, RosterLine.program)
    )
    rows: list[tuple[str, str, int]] = []
    for code, program, n_paid, n_failed, n_pending, regular, paid_fen, failed_fen in await session.execute(lines):
        rows += [
            (code, f"lines_paid_{program}", n_paid),
            (code, f"paid_regular_fen_{program}", regular),
            (code, "lines_paid", n_paid),
            (code, "lines_failed", n_failed),
            (code, "lines_pending", n_pending),
            (code, "paid_fen", paid_fen),
            (code, "failed_fen", failed_fen),
        ]
    items = (
        select(area, RosterLine.program, LineItem.kind, func.sum(LineItem.amount_fen))
        .select_from(RosterLine)
        .join(LineItem, LineItem.line_id == RosterLine.line_id)
        .where(RosterLine.roster_id.in_(rosters), paid, scope.within(RosterLine.region_code))
        .group_by(area, RosterLine.program, LineItem.kind)
    )
    for code, program, kind, amount in await session.execute(items):
        if kind == ItemKind.ARREARS.value:
            rows.append((code, f"paid_arrears_fen_{program}", amount))
        elif kind == ItemKind.ONE_OFF.value:
            rows.append((code, f"paid_one_off_fen_{program}", amount))
        elif kind == ItemKind.RECOVERY.value:
            # Deductions are negative items of the line: what they took back, as a positive amount.
            rows.append((code, "recovered_deducted_fen", -amount))
    return rows


async def hold_rows(session: AsyncSession, scope: Scope) -> Rows:
    """Households held at the month's end, by kind, placed where their entitlements are."""
    # Looked up per hold (by the entitlements' household index), never grouped over the whole ledger.
    place = (
        select(func.min(Entitlement.region_code)).where(Entitlement.household_id == Hold.household_id).scalar_subquery()
    )
    region = func.coalesce(place, Hold.county_code)
    area = scope.area(region)
    stmt = (
        select(area, Hold.kind, func.count(func.distinct(Hold.household_id)))
        .select_from(Hold)
        .where(
            Hold.kind.in_(tuple(HOLD_KINDS)),
            Hold.created_at < scope.end,
            or_(Hold.released_at.is_(None), Hold.released_at >= scope.end),
            or_(scope.within(Hold.county_code), literal(scope.region).startswith(Hold.county_code)),
            scope.within(region),
        )
        .group_by(area, Hold.kind)
    )
    return [(code, f"holds_{kind}", n) for code, kind, n in await session.execute(stmt)]


async def recovery_rows(session: AsyncSession, scope: Scope) -> Rows:
    """Recovery orders detected in the month and money collected in it, placed where the order's payment was."""
    ent_region = select(Entitlement.region_code).where(Entitlement.entitlement_id == Recovery.entitlement_id)
    region = func.coalesce(Recovery.region_code, ent_region.scalar_subquery(), Recovery.county_code)
    area = scope.area(region)
    county = or_(scope.within(Recovery.county_code), literal(scope.region).startswith(Recovery.county_code))
    raised = (
        select(area, func.count(), func.sum(Recovery.amount_fen))
        .where(county, Recovery.detected_at >= scope.start, Recovery.detected_at < scope.end, scope.within(region))
        .group_by(area)
    )
    rows: list[tuple[str, str, int]] = []
    for code, n, amount in await session.execute(raised):
        rows += [(code, "recoveries_raised", n), (code, "recoveries_raised_fen", amount)]
    collected = (
        select(area, func.sum(RecoveryCollection.amount_fen))
        .select_from(RecoveryCollection)
        .join(Recovery, Recovery.id == RecoveryCollection.recovery_id)
        .where(
            county,
            RecoveryCollection.received_on >= scope.month.first_day,
            RecoveryCollection.received_on <= scope.month.last_day,
            scope.within(region),
        )
        .group_by(area)
    )
    rows += [(code, "recovered_collected_fen", amount) for code, amount in await session.execute(collected)]
    return rows


async def grant_rows(session: AsyncSession, scope: Scope) -> Rows:
    """Temporary grants whose payment finance reported paid in the month, where the emergency happened."""
    area = scope.area(TemporaryGrant.region_code)
    stmt = (
        select(area, func.count(), func.sum(TemporaryGrant.amount_fen))
        .select_from(TemporaryGrant)
        .join(RosterLine, RosterLine.line_id == TemporaryGrant.line_id)
        .where(
            scope.within(TemporaryGrant.region_code),
            TemporaryGrant.status == "paid",
            and_(RosterLine.status == LineStatus.PAID.value, RosterLine.paid_at >= scope.start),
            RosterLine.paid_at < scope.end,
        )
        .group_by(area)
    )
    rows: list[tuple[str, str, int]] = []
    for code, n, amount in await session.execute(stmt):
        rows += [(code, "temporary_paid", n), (code, "temporary_paid_fen", amount)]
    return rows
