"""Loading items for staff, always checked against the caller's jurisdiction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, literal, or_, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from libs.kernel.auth import Principal
from libs.kernel.counts import WorkCounts, counted
from libs.kernel.errors import OutsideJurisdiction
from services.complaints.register.errors import ComplaintClosed, ComplaintNotFound, NotAssignedToYou
from services.complaints.register.models import Complaint, ContactRead, InvestigationNote, StatusChange
from services.complaints.register.rules import CLOSED, OPEN, Category, Source, Status
from services.complaints.relatives.register import ensure_not_registered_relative


def covers(who: Principal, item: Complaint) -> bool:
    """Staff read an item of their region, or one assigned to a unit of theirs."""
    return who.covers(item.region_code) or who.covers(item.assigned_unit)


async def for_reading(session: AsyncSession, who: Principal, complaint_id: str) -> Complaint:
    item = await session.get(Complaint, complaint_id)
    if item is None:
        raise ComplaintNotFound(f"No complaint {complaint_id}")
    if not covers(who, item):
        raise OutsideJurisdiction(f"Complaint {complaint_id} is outside your jurisdiction")
    return item


async def for_handling(session: AsyncSession, who: Principal, complaint_id: str) -> Complaint:
    """The open item, locked for this transaction, if it is assigned inside the caller's jurisdiction."""
    stmt = select(Complaint).where(Complaint.id == complaint_id).with_for_update()
    item = (await session.execute(stmt)).scalar_one_or_none()
    if item is None:
        raise ComplaintNotFound(f"No complaint {complaint_id}")
    if not who.covers(item.assigned_unit):
        # Seeing an item is not handling it: a township answers only what is assigned to it.
        raise NotAssignedToYou(
            f"Complaint {complaint_id} is assigned to {item.assigned_unit}, outside your jurisdiction",
        )
    if item.status in CLOSED:
        raise ComplaintClosed(f"Complaint {complaint_id} is already {item.status}")
    await ensure_not_related(session, who, item)
    return item


async def ensure_not_related(session: AsyncSession, who: Principal, item: Complaint) -> None:
    """No one filed in casework's register as a close relative of the item's person or household handles it
    (assigns, investigates, finds, replies, returns, or learns who complained: DOMAIN.md §7)."""
    await ensure_not_registered_relative(
        session, who, person_hash=item.subject_id_hash, household_id=item.subject_household_id
    )


@dataclass(frozen=True, slots=True)
class LedgerFilter:
    status: Status | None = None
    category: Category | None = None
    source: Source | None = None
    repeats: bool | None = None  # true: only repeat petitions; false: only first items


def _inside(prefix: str) -> ColumnElement[bool]:
    """Items of a region inside `prefix`, or assigned to a unit inside it."""
    return or_(
        Complaint.region_code.startswith(prefix, autoescape=True),
        Complaint.assigned_unit.startswith(prefix, autoescape=True),
    )


def _within(prefix: str) -> Select[Complaint]:
    return select(Complaint).where(_inside(prefix))


def _open() -> ColumnElement[bool]:
    return Complaint.status.in_([s.value for s in OPEN])


async def counts(session: AsyncSession, prefix: str, now: dt.datetime) -> WorkCounts:
    """Items inside `prefix` by status, and open ones past their deadline (as `overdue` lists them)."""
    return await counted(session, Complaint.status, _inside(prefix), _open() & (Complaint.due_at < now))


async def ledger(
    session: AsyncSession, prefix: str, f: LedgerFilter, after: tuple[dt.datetime, str] | None, limit: int
) -> Sequence[Complaint]:
    """The ledger (台账) inside `prefix`, newest first, after the keyset `after` (received_at, id)."""
    stmt = _within(prefix)
    if f.status is not None:
        stmt = stmt.where(Complaint.status == f.status.value)
    if f.category is not None:
        stmt = stmt.where(Complaint.category == f.category.value)
    if f.source is not None:
        stmt = stmt.where(Complaint.source == f.source.value)
    if f.repeats is not None:
        stmt = stmt.where(Complaint.repeat_of.is_not(None) if f.repeats else Complaint.repeat_of.is_(None))
    if after is not None:
        stmt = stmt.where(tuple_(Complaint.received_at, Complaint.id) < tuple_(literal(after[0]), literal(after[1])))
    return (await session.scalars(stmt.order_by(Complaint.received_at.desc(), Complaint.id.desc()).limit(limit))).all()


async def overdue(
    session: AsyncSession, prefix: str, now: dt.datetime | None, after: tuple[dt.datetime, str] | None, limit: int
) -> Sequence[Complaint]:
    """Open items inside `prefix` past their deadline (all open ones when `now` is None), the soonest due first,
    after the keyset (due_at, id)."""
    stmt = _within(prefix).where(_open())
    if now is not None:
        stmt = stmt.where(Complaint.due_at < now)
    if after is not None:
        stmt = stmt.where(tuple_(Complaint.due_at, Complaint.id) > tuple_(literal(after[0]), literal(after[1])))
    return (await session.scalars(stmt.order_by(Complaint.due_at, Complaint.id).limit(limit))).all()


def record_contact_read(session: AsyncSession, item: Complaint, by: str, at: dt.datetime, reason: str) -> None:
    """Every read of a complainant's contact in full is kept: who, when and why (DOMAIN.md §11)."""
    session.add(ContactRead(complaint_id=item.id, at=at, by=by, reason=reason))


async def complaints_by_id(session: AsyncSession, ids: set[str]) -> list[Complaint]:
    return list((await session.scalars(select(Complaint).where(Complaint.id.in_(ids)))).all())


async def status_changes(session: AsyncSession, complaint_id: str) -> list[StatusChange]:
    query = select(StatusChange).where(StatusChange.complaint_id == complaint_id).order_by(StatusChange.id)
    return list((await session.scalars(query)).all())


async def investigation_notes(session: AsyncSession, complaint_id: str) -> list[InvestigationNote]:
    query = select(InvestigationNote).where(InvestigationNote.complaint_id == complaint_id)
    return list((await session.scalars(query.order_by(InvestigationNote.id))).all())


async def petition_items(session: AsyncSession, petition_id: str) -> list[Complaint]:
    """Every item of one repeat petition, oldest first, wherever it lies (the caller filters by jurisdiction)."""
    query = select(Complaint).where(Complaint.petition_id == petition_id)
    return list((await session.scalars(query.order_by(Complaint.received_at, Complaint.created_at))).all())


async def own_work_order_no(session: AsyncSession, complaint_id: str, client_id: str | None) -> str | None:
    """The work-order number of an earlier item, if it came from the same platform (`client_id`)."""
    query = select(Complaint.work_order_no).where(Complaint.id == complaint_id, Complaint.client_id == client_id)
    return await session.scalar(query)
