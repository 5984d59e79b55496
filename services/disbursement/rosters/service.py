"""A roster's life (DOMAIN.md §9, CONTRACTS.md §3): draft → locked → submitted → paid | partially_failed →
reconciled; a draft or locked roster may be cancelled before submission."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.clock import business_date
from libs.kernel.auth import Principal
from libs.kernel.ids import time_ordered_id
from services.disbursement.context import Disbursement
from services.disbursement.entitlements import amount_holds
from services.disbursement.entitlements.counties import touch
from services.disbursement.entitlements.models import CountyLedger
from services.disbursement.months import add_months, month_containing, period_of
from services.disbursement.recoveries import service as recoveries
from services.disbursement.rosters.build import build_lines, settle
from services.disbursement.rosters.errors import (
    LaterRosterExists,
    PeriodTooFarAhead,
    RosterExists,
    RosterOutdated,
    RosterStatusConflict,
    UnknownCounty,
)
from services.disbursement.rosters.export import write_export
from services.disbursement.rosters.models import (
    LineItem,
    LineStatus,
    Roster,
    RosterExport,
    RosterKind,
    RosterLine,
    RosterSettle,
    RosterStatus,
)

# Lines that count as never sent after all (a failed payment, a cancelled roster): their entitlements are looked at
# again from the earliest month the lines paid.
_REOPEN = """
    UPDATE disbursement.entitlements e
       SET dirty_from = least(coalesce(e.dirty_from, x.month), x.month), changed_at = :now
      FROM (SELECT l.entitlement_id, least(min(l.period), min(i.month)) AS month
              FROM disbursement.roster_lines l
              LEFT JOIN disbursement.line_items i ON i.line_id = l.line_id AND i.month IS NOT NULL
             WHERE {lines} GROUP BY l.entitlement_id) x
     WHERE e.entitlement_id = x.entitlement_id
"""
_REOPEN_ROSTER = text(_REOPEN.format(lines="l.roster_id = :roster_id"))
_REOPEN_LINES = text(_REOPEN.format(lines="l.line_id = ANY(:ids)"))


async def reopen_lines(
    session: AsyncSession, ctx: Disbursement, *, roster_id: str | None = None, line_ids: list[str] | None = None
) -> None:
    """The months of a whole roster's lines, or of some lines, owed again."""
    if line_ids is not None:
        await session.execute(_REOPEN_LINES, {"ids": line_ids, "now": ctx.now()})
    else:
        await session.execute(_REOPEN_ROSTER, {"roster_id": roster_id, "now": ctx.now()})


def due_date(ctx: Disbursement, month: dt.date) -> dt.date:
    return month.replace(day=ctx.settings.roster_due_day)


async def _county(session: AsyncSession, county: str) -> CountyLedger | None:
    stmt = select(CountyLedger).where(CountyLedger.region_code == county).with_for_update()
    return (await session.scalars(stmt)).first()


# How far ahead a roster may be built. Months are paid in order, so a roster for a far month (once, 9999-12) would stand
# before every nearer month's roster of its county until someone cancelled it.
MAX_MONTHS_AHEAD = 12


async def create(session: AsyncSession, ctx: Disbursement, county: str, month: dt.date, who: Principal) -> Roster:
    latest = add_months(month_containing(business_date(ctx.now())), MAX_MONTHS_AHEAD)
    if month > latest:
        raise PeriodTooFarAhead(
            f"A roster is built at most {MAX_MONTHS_AHEAD} months ahead (until {period_of(latest)})",
            errors=[{"loc": ["body", "period"], "msg": "too far ahead", "type": "too_far_ahead"}],
        )
    ledger = await _county(session, county)
    if ledger is None:
        raise UnknownCounty(f"No entitlement in county {county} is known to disbursement")
    others = (
        await session.scalars(
            select(Roster).where(
                Roster.region_code == county,
                Roster.kind == RosterKind.MONTHLY.value,  # a grant's payment order is no month's roster
                Roster.status != RosterStatus.CANCELLED.value,
                Roster.period >= month,
            )
        )
    ).all()
    for other in others:
        if other.period == month:
            raise RosterExists(
                f"County {county} already has roster {other.id} for {period_of(month)} ({other.status})",
                roster_id=other.id,
            )
    if others:
        # Months are paid in order: a later month's roster already counted what was sent before it.
        raise LaterRosterExists(
            f"County {county} already has a roster for a later month ({period_of(max(o.period for o in others))})",
        )
    now = ctx.now()
    roster = Roster(
        # Its line ids begin with it: a new roster's million keys go to the right-hand edge of the lines' indexes.
        id=time_ordered_id(),
        kind=RosterKind.MONTHLY.value,
        region_code=county,
        period=month,
        status=RosterStatus.DRAFT.value,
        due_date=due_date(ctx, month),
        built_at=now,
        built_by=who.subject,
        ledger_version=ledger.version,
        line_count=0,
        total_fen=0,
        totals={},
        held={},
        paid_lines=0,
        paid_fen=0,
        failed_lines=0,
        failed_fen=0,
    )
    session.add(roster)
    await _build(session, ctx, roster, ledger, who)
    return roster


async def rebuild(session: AsyncSession, ctx: Disbursement, roster: Roster, who: Principal) -> None:
    _require(roster, RosterStatus.DRAFT)
    ledger = await _county(session, roster.region_code)
    assert ledger is not None
    await _discard_lines(session, roster.id)
    await _build(session, ctx, roster, ledger, who)


async def _build(
    session: AsyncSession, ctx: Disbursement, roster: Roster, ledger: CountyLedger, who: Principal
) -> None:
    await session.flush()
    # An amount no program could pay (stored before amounts were checked) would overflow the roster: it is held,
    # visibly, and the rest of the county is paid. The ledger changed, so the roster is built on its new version.
    if await amount_holds.hold_county(session, ctx, roster.region_code):
        await touch(session, ctx, {roster.region_code})
        await session.refresh(ledger)
    totals, held = await build_lines(
        session,
        roster_id=roster.id,
        county=roster.region_code,
        month=roster.period,
        first=ledger.first_period or roster.period,
        percent=ctx.settings.recovery_deduction_percent,
    )
    roster.totals = totals
    roster.held = held
    roster.line_count = sum(t["lines"] for t in totals.values())
    roster.total_fen = sum(t["total"] for t in totals.values())
    roster.ledger_version = ledger.version
    roster.built_at = ctx.now()
    roster.built_by = who.subject
    await session.flush()


async def _discard_lines(session: AsyncSession, roster_id: str) -> None:
    await session.execute(delete(LineItem).where(LineItem.roster_id == roster_id))
    await session.execute(delete(RosterLine).where(RosterLine.roster_id == roster_id))
    await session.execute(delete(RosterSettle).where(RosterSettle.roster_id == roster_id))


def _require(roster: Roster, *statuses: RosterStatus) -> None:
    if roster.status not in {s.value for s in statuses}:
        wanted = " or ".join(s.value for s in statuses)
        raise RosterStatusConflict(f"Roster {roster.id} is {roster.status}, not {wanted}")


async def lock(session: AsyncSession, ctx: Disbursement, roster: Roster, who: Principal) -> None:
    """Immutable from here: the CSV is written once and its SHA-256 is the checksum."""
    _require(roster, RosterStatus.DRAFT)
    ledger = await _county(session, roster.region_code)
    assert ledger is not None
    if ledger.version != roster.ledger_version:
        raise RosterOutdated(
            f"The ledger of county {roster.region_code} changed after roster {roster.id} was built (a death, a "
            "decision, a hold, an account): rebuild it, check it and lock again",
        )
    export = await write_export(session, ctx, roster)
    if export.not_adding_up:  # only a draft changed outside its build can; what was written is rolled back
        raise RosterOutdated(
            f"Roster {roster.id} has {export.not_adding_up} lines whose items do not add up to their amount, or that "
            "pay nothing: rebuild it, check it and lock again",
        )
    await settle(session, roster_id=roster.id, month=roster.period)
    ledger.first_period = ledger.first_period or roster.period
    roster.status = RosterStatus.LOCKED.value
    roster.checksum, roster.export_bytes, roster.export_chunks = export.checksum, export.size, export.chunks
    roster.export_chunk_lines = export.chunk_lines
    roster.locked_at, roster.locked_by = ctx.now(), who.subject
    # What is sent changed: a later month's draft built before this lock would pay its arrears again.
    await touch(session, ctx, {roster.region_code})
    await recoveries.refresh(session, ctx, await _recovery_ids(session, roster.id))


async def _recovery_ids(session: AsyncSession, roster_id: str) -> list[str]:
    stmt = select(LineItem.recovery_id).where(LineItem.roster_id == roster_id, LineItem.recovery_id.is_not(None))
    return [r for r in (await session.scalars(stmt)).all() if r is not None]


async def submit(session: AsyncSession, ctx: Disbursement, roster: Roster, who: Principal) -> None:
    _require(roster, RosterStatus.LOCKED)
    roster.status = RosterStatus.SUBMITTED.value
    roster.submitted_at, roster.submitted_by = ctx.now(), who.subject
    await mark_reported(session, roster)  # a roster without lines has nothing to wait for


async def cancel(session: AsyncSession, ctx: Disbursement, roster: Roster, who: Principal, reason: str) -> None:
    """A draft's lines are dropped; a locked roster's are kept for the record and count as never sent."""
    _require(roster, RosterStatus.DRAFT, RosterStatus.LOCKED)
    if roster.status == RosterStatus.DRAFT.value:
        await _discard_lines(session, roster.id)
    else:
        await reopen_lines(session, ctx, roster_id=roster.id)
        await session.execute(delete(RosterExport).where(RosterExport.roster_id == roster.id))
        await touch(session, ctx, {roster.region_code})  # a later draft counted these lines as sent
    roster.status = RosterStatus.CANCELLED.value
    roster.cancelled_at, roster.cancelled_by, roster.cancel_reason = ctx.now(), who.subject, reason
    await session.flush()
    await recoveries.refresh(session, ctx, await _recovery_ids(session, roster.id))


async def reconcile(session: AsyncSession, ctx: Disbursement, roster: Roster, who: Principal) -> None:
    """The county checks finance's results against the roster and closes it; failed lines are carried forward."""
    _require(roster, RosterStatus.PAID, RosterStatus.PARTIALLY_FAILED)
    by_kind = (
        await session.execute(
            select(LineItem.kind, func.sum(LineItem.amount_fen))
            .join(RosterLine, RosterLine.line_id == LineItem.line_id)
            .where(LineItem.roster_id == roster.id, RosterLine.status == LineStatus.PAID.value)
            .group_by(LineItem.kind)
        )
    ).all()
    roster.reconciliation = {
        "line_count": roster.line_count,
        "total_fen": roster.total_fen,
        "paid_lines": roster.paid_lines,
        "paid_fen": roster.paid_fen,
        "failed_lines": roster.failed_lines,
        "failed_fen": roster.failed_fen,
        # Failed lines are owed again: paid on a later roster once the account is fixed.
        "carried_forward_fen": roster.failed_fen,
        "paid_items_fen": {kind: int(fen) for kind, fen in by_kind},
        "balanced": roster.paid_fen + roster.failed_fen == roster.total_fen,
    }
    roster.status = RosterStatus.RECONCILED.value
    roster.reconciled_at, roster.reconciled_by = ctx.now(), who.subject


def submitted_on(roster: Roster) -> dt.date | None:
    return business_date(roster.submitted_at) if roster.submitted_at else None


def days_late(due: dt.date, submitted: dt.date | None, today: dt.date) -> int:
    """Days past the due day on submission, or until today while not submitted; 0 when on time."""
    return max(((submitted or today) - due).days, 0)


@dataclass(frozen=True)
class Lateness:
    region_code: str
    roster_id: str | None
    status: str | None
    due_date: dt.date
    submitted_on: dt.date | None
    days_late: int


async def late(session: AsyncSession, ctx: Disbursement, prefix: str, month: dt.date) -> list[Lateness]:
    """Counties whose roster for `month` was submitted after the due day, or is not submitted and the day passed."""
    due = due_date(ctx, month)
    today = ctx.today()
    counties = (
        await session.scalars(
            select(CountyLedger.region_code)
            .where(func.starts_with(CountyLedger.region_code, prefix))
            .order_by(CountyLedger.region_code)
        )
    ).all()
    rosters = {
        r.region_code: r
        for r in await session.scalars(
            select(Roster).where(
                Roster.period == month,
                Roster.kind == RosterKind.MONTHLY.value,
                Roster.status != RosterStatus.CANCELLED.value,
                func.starts_with(Roster.region_code, prefix),
            )
        )
    }
    found: list[Lateness] = []
    for county in counties:
        roster = rosters.get(county)
        submitted = submitted_on(roster) if roster else None
        late_by = days_late(due, submitted, today)
        if late_by > 0:
            found.append(
                Lateness(
                    region_code=county,
                    roster_id=roster.id if roster else None,
                    status=roster.status if roster else None,
                    due_date=due,
                    submitted_on=submitted,
                    days_late=late_by,
                )
            )
    return found


async def mark_reported(session: AsyncSession, roster: Roster) -> None:
    """Every line reported: paid, or partially failed."""
    if roster.paid_lines + roster.failed_lines >= roster.line_count:
        roster.status = (RosterStatus.PAID if roster.failed_lines == 0 else RosterStatus.PARTIALLY_FAILED).value
