"""Case queries, always scoped by the caller's jurisdiction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, Select, bindparam, func, literal, select, update
from sqlalchemy import case as sql_case
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from libs.kernel.auth import Principal
from libs.kernel.counts import WorkCounts, counted
from libs.kernel.lookup import get_within
from libs.kernel.pagination import keyset_page
from services.casework.case.errors import AttachmentNotFound, CaseNotFound
from services.casework.case.models import (
    Case,
    CaseAttachment,
    CaseEvaluation,
    CaseHistory,
    CaseInvestigation,
    CasePerson,
    CaseVerification,
)
from services.casework.case.rules import OPEN_STATUSES, CaseStatus
from services.casework.db import Base


async def visible_case(session: AsyncSession, who: Principal, case_id: str) -> Case:
    """The case, read (not locked), if it is inside `who`'s jurisdiction."""
    return await get_within(session, who, Case, case_id, CaseNotFound(f"No case {case_id}"))


async def attachment_of(session: AsyncSession, case_id: str, attachment_id: str) -> CaseAttachment:
    row = await session.get(CaseAttachment, attachment_id)
    if row is None or row.case_id != case_id:
        raise AttachmentNotFound(f"No attachment {attachment_id} on case {case_id}")
    return row


# Cases without a due date sort after every dated one.
_FAR = dt.date(9999, 12, 31)
_ENDED = (CaseStatus.DECIDED.value, CaseStatus.CANCELLED.value)


@dataclass(frozen=True)
class CaseFilter:
    region_prefix: str
    status: str | None = None
    program: str | None = None
    kind: str | None = None
    trigger: str | None = None
    household_id: str | None = None
    overdue_on: dt.date | None = None


async def counts(session: AsyncSession, region_prefix: str, today: dt.date) -> WorkCounts:
    """Cases in the region by status, and open ones past their due date."""
    overdue = Case.status.in_([s.value for s in OPEN_STATUSES]) & (Case.due_date < today)
    return await counted(session, Case.status, Case.region_code.startswith(region_prefix, autoescape=True), overdue)


async def search(session: AsyncSession, f: CaseFilter, after: tuple[dt.date, str] | None, limit: int) -> list[Case]:
    """The work list: by due date (overdue first), then id."""
    due = func.coalesce(Case.due_date, literal(_FAR))
    stmt = select(Case).where(Case.region_code.startswith(f.region_prefix, autoescape=True))
    for column, value in (
        (Case.status, f.status),
        (Case.program, f.program),
        (Case.kind, f.kind),
        (Case.trigger, f.trigger),
        (Case.household_id, f.household_id),
    ):
        if value is not None:
            stmt = stmt.where(column == value)
    if f.overdue_on is not None:
        stmt = stmt.where(Case.status.in_([s.value for s in OPEN_STATUSES]), Case.due_date < f.overdue_on)
    stmt = keyset_page(stmt, (due, Case.id), after, limit, whole_row=True)
    return list((await session.scalars(stmt)).all())


async def overdue_by_area(
    session: AsyncSession, region_prefix: str, level: int, today: dt.date
) -> list[tuple[str, int, int]]:
    """(area code, open cases, overdue) per sub-area of `level` digits (9: townships, 12: villages)."""
    area = func.substr(Case.region_code, 1, level)
    open_ = Case.status.in_([s.value for s in OPEN_STATUSES])
    stmt = (
        select(
            area,
            func.count(),
            func.sum(sql_case((Case.due_date < today, 1), else_=0)),
        )
        .where(Case.region_code.startswith(region_prefix, autoescape=True), open_)
        .group_by(area)
        .order_by(area)
    )
    return [(a, int(n), int(o or 0)) for a, n, o in (await session.execute(stmt)).all()]


async def open_cases_of(session: AsyncSession, person_hash: str) -> list[str]:
    """Cases not yet decided or cancelled that concern the person."""
    stmt = (
        select(Case.id)
        .join(CasePerson, CasePerson.case_id == Case.id)
        .where(CasePerson.person_hash == person_hash, Case.status.not_in(_ENDED))
        .distinct()
    )
    return list((await session.scalars(stmt)).all())


async def mark_close_relative(session: AsyncSession, case_ids: list[str]) -> None:
    """A filed relative's open cases go to a county investigation (DOMAIN.md §3.5, §7)."""
    await session.execute(
        update(Case).where(Case.id.in_(case_ids)).values(close_relative_detected=True, county_investigation=True)
    )


async def in_publicity(session: AsyncSession, village_code: str) -> list[Case]:
    """The village's cases whose proposal is being posted, by id."""
    stmt = select(Case).where(Case.region_code == village_code, Case.status == CaseStatus.PUBLICITY).order_by(Case.id)
    return list((await session.scalars(stmt)).all())


@dataclass(frozen=True)
class CaseFile:
    """What the case view shows besides the case row, as rows (read only): the view answers every step of a case."""

    history: Sequence[Row[Any]]
    investigations: Sequence[Row[Any]]
    verifications: Sequence[Row[Any]]
    attachments: Sequence[Row[Any]]
    evaluations: Sequence[Row[Any]]


def _of_case(model: type[Base], *order: InstrumentedAttribute[Any], without: str = "") -> Select[Any]:
    table = model.__table__
    columns = [c for c in table.c if c.name != without]
    return select(*columns).where(table.c.case_id == bindparam("case_id")).order_by(*order)


# Built once, run as Core: building five statements and their cache keys, then loading ORM objects, cost about three
# times what running them costs (2.9 against 0.9 ms of CPU a view, issue 23).
_FILE = (
    _of_case(CaseHistory, CaseHistory.id),
    _of_case(CaseInvestigation, CaseInvestigation.round),
    _of_case(CaseVerification),
    # A file's bytes are read when it is downloaded, not each time the case is shown.
    _of_case(CaseAttachment, CaseAttachment.uploaded_at, without="content"),
    _of_case(CaseEvaluation, CaseEvaluation.id),
)


async def case_file(session: AsyncSession, case_id: str) -> CaseFile:
    # On the session's connection, in its transaction; flushed first, since Core does not autoflush as the ORM's
    # queries do and the step just recorded must be in its answer.
    await session.flush()
    conn = await session.connection()
    history, investigations, verifications, attachments, evaluations = [
        (await conn.execute(statement, {"case_id": case_id})).all() for statement in _FILE
    ]
    return CaseFile(history, investigations, verifications, attachments, evaluations)
