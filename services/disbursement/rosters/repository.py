"""Queries of rosters, their lines and one-off batches, as the staff API and the household file read them."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from libs.kernel.auth import Principal
from services.disbursement.entitlements.models import CountyLedger
from services.disbursement.rosters.errors import RosterNotFound
from services.disbursement.rosters.models import LineItem, OneOffBatch, Roster, RosterKind, RosterLine


async def roster_by_id(session: AsyncSession, roster_id: str, *, lock: bool = False) -> Roster | None:
    stmt = select(Roster).where(Roster.id == roster_id)
    return (await session.scalars(stmt.with_for_update() if lock else stmt)).first()


async def county_roster(session: AsyncSession, who: Principal, roster_id: str, *, lock: bool = False) -> Roster:
    """The roster, if it lies in the caller's jurisdiction (locked for a change when `lock`)."""
    roster = await roster_by_id(session, roster_id, lock=lock)
    if roster is None or not who.covers(roster.region_code):
        raise RosterNotFound(f"No roster {roster_id} in your jurisdiction")
    return roster


async def ledger_versions(session: AsyncSession, region_codes: Collection[str]) -> dict[str, int]:
    """Each county's ledger version now: a draft built at another one is outdated."""
    stmt = select(CountyLedger).where(CountyLedger.region_code.in_(set(region_codes)))
    return {c.region_code: c.version for c in await session.scalars(stmt)}


@dataclass(frozen=True)
class RosterFilter:
    """What staff's and finance's roster lists may be narrowed to: a region prefix inside the reader's jurisdiction,
    and one kind, month and status where each is given."""

    prefix: str
    kind: RosterKind | None
    month: dt.date | None = None
    status: str | None = None


def narrowed(stmt: Select[Roster], where: RosterFilter) -> Select[Roster]:
    """`stmt` kept to the filter's region, kind, month and status."""
    stmt = stmt.where(Roster.region_code.startswith(where.prefix))
    if where.kind is not None:
        stmt = stmt.where(Roster.kind == where.kind.value)
    if where.month:
        stmt = stmt.where(Roster.period == where.month)
    if where.status:
        stmt = stmt.where(Roster.status == where.status)
    return stmt


async def rosters_in(
    session: AsyncSession, where: RosterFilter, *, after: tuple[dt.date, str] | None, limit: int
) -> list[Roster]:
    """A page (and one more) of the rosters the filter keeps, newest month first, then by id."""
    stmt = narrowed(select(Roster), where)
    if after is not None:
        last_month, last_id = after
        stmt = stmt.where((Roster.period < last_month) | ((Roster.period == last_month) & (Roster.id > last_id)))
    return list((await session.scalars(stmt.order_by(Roster.period.desc(), Roster.id).limit(limit + 1))).all())


@dataclass(frozen=True)
class LineFilter:
    """What the list of a roster's lines, and its ledger, may be narrowed to."""

    status: str | None = None
    household_id: str | None = None


async def lines_of(
    session: AsyncSession, roster_id: str, *, after_line_no: int | None, limit: int, where: LineFilter = LineFilter()
) -> list[RosterLine]:
    """A page (and one more) of a roster's lines in line order."""
    stmt = select(RosterLine).where(RosterLine.roster_id == roster_id)
    if where.status:
        stmt = stmt.where(RosterLine.status == where.status)
    if where.household_id:
        stmt = stmt.where(RosterLine.household_id == where.household_id)
    if after_line_no is not None:
        stmt = stmt.where(RosterLine.line_no > after_line_no)
    return list((await session.scalars(stmt.order_by(RosterLine.line_no).limit(limit + 1))).all())


async def lines_of_entitlements(session: AsyncSession, entitlement_ids: Sequence[str]) -> list[RosterLine]:
    """Every line paid (or to be paid) on these entitlements, the latest month first."""
    stmt = (
        select(RosterLine)
        .where(RosterLine.entitlement_id.in_(entitlement_ids))
        .order_by(RosterLine.period.desc(), RosterLine.program)
    )
    return list((await session.scalars(stmt)).all())


async def items_of(session: AsyncSession, line_ids: Sequence[str]) -> dict[str, list[LineItem]]:
    """The arrears, one-offs and deductions of each line, by line id."""
    found: dict[str, list[LineItem]] = defaultdict(list)
    if line_ids:
        stmt = select(LineItem).where(LineItem.line_id.in_(line_ids)).order_by(LineItem.id)
        for item in await session.scalars(stmt):
            found[item.line_id].append(item)
    return found


async def one_off_batches(session: AsyncSession, prefix: str, month: dt.date | None) -> list[OneOffBatch]:
    """Batches that pay under `prefix`: set for a region inside it, or for a region containing it."""
    stmt = select(OneOffBatch).order_by(OneOffBatch.period.desc(), OneOffBatch.created_at)
    if month:
        stmt = stmt.where(OneOffBatch.period == month)
    batches = (await session.scalars(stmt)).all()
    return [b for b in batches if b.region_prefix.startswith(prefix) or prefix.startswith(b.region_prefix)]
