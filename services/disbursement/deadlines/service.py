"""Whether finance paid a month's roster by the region's deadline (seed 001 三(四): "确保 10 日前发放到位").

A line is late when it was paid on a (China Standard Time) day after the deadline, or is still pending once the
deadline has passed (every line of a roster still unsubmitted then, which `/rosters/late` also names). A failed line
is not counted here: finance reported it in time, and it is the county's to fix (the account is held and the month
paid again later, as `failed_lines` of the roster show).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import ColumnElement, and_, false, func, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.clock import CHINA_TZ, business_date
from services.disbursement.context import Disbursement
from services.disbursement.deadlines.errors import PeriodNotBegun
from services.disbursement.deadlines.repository import paid_by
from services.disbursement.months import month_containing, month_of, period_of
from services.disbursement.rosters.models import LineStatus, Roster, RosterKind, RosterLine, RosterStatus


class Lateness(StrEnum):
    PENDING = "pending"  # not reported paid, and the deadline has passed
    PAID_LATE = "paid_late"  # paid on a day after the deadline


def begun(ctx: Disbursement, period: str) -> dt.date:
    """`period`'s month, if it has begun: a month still to come has nothing paid late (and nothing to ask about)."""
    month, current = month_of(period), month_containing(ctx.today())
    if month > current:
        raise PeriodNotBegun(
            f"{period} has not begun; ask about {period_of(current)} or an earlier month",
            errors=[{"loc": ["query", "period"], "msg": "a month to come", "type": PeriodNotBegun.code}],
        )
    return month


@dataclass(frozen=True)
class Deadline:
    paid_by: dt.date
    # The first instant after the deadline day in China: a payment at or after it is late.
    cutoff: dt.datetime
    passed: bool  # now is past the deadline day, so a pending line is late

    def lateness(self, line: RosterLine) -> Lateness:
        return Lateness.PENDING if line.status == LineStatus.PENDING.value else Lateness.PAID_LATE

    def days_late(self, line: RosterLine, today: dt.date) -> int:
        day = business_date(line.paid_at) if line.paid_at is not None else today
        return max((day - self.paid_by).days, 0)


async def deadline_of(session: AsyncSession, ctx: Disbursement, roster: Roster) -> Deadline:
    # A temporary grant's order is due by its grant's day (3 working days from discovery), not the month's figure.
    if roster.kind == RosterKind.TEMPORARY.value:
        day = roster.due_date
    else:
        day = await paid_by(session, roster.region_code, roster.period)
    cutoff = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), CHINA_TZ)
    return Deadline(paid_by=day, cutoff=cutoff, passed=ctx.now() >= cutoff)


def _pending(deadline: Deadline) -> ColumnElement[bool]:
    return and_(RosterLine.status == LineStatus.PENDING.value, true() if deadline.passed else false())


def _paid_late(deadline: Deadline) -> ColumnElement[bool]:
    return and_(RosterLine.status == LineStatus.PAID.value, RosterLine.paid_at >= deadline.cutoff)


def late_filter(deadline: Deadline, lateness: Lateness | None = None) -> ColumnElement[bool]:
    """The roster's lines late by `deadline`, of one kind of lateness or both."""
    if lateness is Lateness.PENDING:
        return _pending(deadline)
    if lateness is Lateness.PAID_LATE:
        return _paid_late(deadline)
    return or_(_pending(deadline), _paid_late(deadline))


@dataclass(frozen=True)
class Unpaid:
    roster: Roster
    deadline: Deadline
    pending_lines: int
    pending_fen: int
    paid_late_lines: int
    paid_late_fen: int


async def unpaid(session: AsyncSession, ctx: Disbursement, prefix: str, month: dt.date) -> list[Unpaid]:
    """The rosters of `month` under `prefix` with lines not paid by their county's deadline, by county."""
    rosters = (
        await session.scalars(
            select(Roster)
            .where(
                Roster.period == month,
                # The county's monthly roster: a grant's payment order has its own day (`deadline_of`).
                Roster.kind == RosterKind.MONTHLY.value,
                Roster.status != RosterStatus.CANCELLED.value,
                func.starts_with(Roster.region_code, prefix),
            )
            .order_by(Roster.region_code)
        )
    ).all()
    found: list[Unpaid] = []
    for roster in rosters:  # one per county: a city's dozen, a province's hundred
        deadline = await deadline_of(session, ctx, roster)
        pending, paid_late = _pending(deadline), _paid_late(deadline)
        row = (
            await session.execute(
                select(
                    func.count().filter(pending),
                    func.coalesce(func.sum(RosterLine.amount_fen).filter(pending), 0),
                    func.count().filter(paid_late),
                    func.coalesce(func.sum(RosterLine.amount_fen).filter(paid_late), 0),
                ).where(RosterLine.roster_id == roster.id, late_filter(deadline))
            )
        ).one()
        if row[0] or row[2]:
            found.append(Unpaid(roster, deadline, int(row[0]), int(row[1]), int(row[2]), int(row[3])))
    return found


async def late_lines(
    session: AsyncSession,
    roster: Roster,
    deadline: Deadline,
    *,
    lateness: Lateness | None,
    after_line_no: int | None,
    limit: int,
) -> list[RosterLine]:
    """A page (and one more) of the roster's late lines in line order."""
    stmt = select(RosterLine).where(RosterLine.roster_id == roster.id, late_filter(deadline, lateness))
    if after_line_no is not None:
        stmt = stmt.where(RosterLine.line_no > after_line_no)
    return list((await session.scalars(stmt.order_by(RosterLine.line_no).limit(limit + 1))).all())
