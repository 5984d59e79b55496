"""Queries on applications; every list is scoped to the caller's jurisdiction prefix."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Select, and_, or_, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.programs import Program
from services.intake.application.models import (
    Application,
    ApplicationCounter,
    ApplicationHistory,
    ApplicationPerson,
)
from services.intake.application.schemas import OPEN_STATUSES, ApplicationStatus
from services.intake.recipients.models import RecipientHousehold, RecipientMember, RecipientProgram

# Statuses in which a recipient household still holds a program (CONTRACTS.md §4).
HELD_STATUSES = ("active", "gradual_exit", "suspended")


async def lock_people(session: AsyncSession, person_hashes: Sequence[str]) -> None:
    """Serialise applications about the same people until this transaction ends, in one order (no deadlocks)."""
    if person_hashes:
        await session.execute(
            text(
                "SELECT pg_advisory_xact_lock(hashtext('intake.person:' || h))"
                " FROM (SELECT unnest(CAST(:hs AS text[])) AS h ORDER BY 1) s"
            ),
            {"hs": sorted(set(person_hashes))},
        )


async def get_for_update(session: AsyncSession, application_id: str) -> Application | None:
    stmt = select(Application).where(Application.id == application_id).with_for_update()
    return (await session.execute(stmt)).scalar_one_or_none()


async def get(session: AsyncSession, application_id: str) -> Application | None:
    return await session.get(Application, application_id)


async def next_number(session: AsyncSession, county_code: str, year: int) -> str:
    stmt = (
        pg_insert(ApplicationCounter)
        .values(county_code=county_code, year=year, last_no=1)
        .on_conflict_do_update(index_elements=["county_code", "year"], set_={"last_no": ApplicationCounter.last_no + 1})
        .returning(ApplicationCounter.last_no)
    )
    seq = (await session.execute(stmt)).scalar_one()
    return f"{county_code}-{year}-{seq:06d}"


@dataclass(frozen=True)
class OpenClaim:
    application_id: str
    application_no: str
    program: Program
    person_hash: str


async def open_claims(session: AsyncSession, person_hashes: Sequence[str], exclude: str) -> list[OpenClaim]:
    stmt = (
        select(Application.id, Application.application_no, Application.program, ApplicationPerson.person_hash)
        .join(ApplicationPerson, ApplicationPerson.application_id == Application.id)
        .where(
            ApplicationPerson.person_hash.in_(person_hashes),
            ApplicationPerson.role == "claimed",
            Application.status.in_([s.value for s in OPEN_STATUSES]),
            Application.id != exclude,
        )
        .order_by(Application.created_at)
    )
    rows = (await session.execute(stmt)).all()
    return [OpenClaim(r[0], r[1], Program(r[2]), r[3]) for r in rows]


@dataclass(frozen=True)
class HeldProgram:
    household_id: str
    program: Program
    person_hash: str


async def held_programs(session: AsyncSession, person_hashes: Sequence[str]) -> list[HeldProgram]:
    stmt = (
        select(RecipientMember.household_id, RecipientProgram.program, RecipientMember.person_hash)
        .join(RecipientHousehold, RecipientHousehold.household_id == RecipientMember.household_id)
        .join(RecipientProgram, RecipientProgram.household_id == RecipientMember.household_id)
        .where(
            RecipientMember.person_hash.in_(person_hashes),
            RecipientHousehold.closed.is_(False),
            RecipientProgram.status.in_(HELD_STATUSES),
        )
    )
    rows = (await session.execute(stmt)).all()
    return [HeldProgram(r[0], Program(r[1]), r[2]) for r in rows if r[1] in Program._value2member_map_]


async def history_of(session: AsyncSession, application_id: str) -> Sequence[ApplicationHistory]:
    stmt = (
        select(ApplicationHistory)
        .where(ApplicationHistory.application_id == application_id)
        .order_by(ApplicationHistory.id)
    )
    return (await session.execute(stmt)).scalars().all()


@dataclass(frozen=True)
class ApplicationFilter:
    region_prefix: str
    status: ApplicationStatus | None = None
    program: Program | None = None
    due_before: dt.date | None = None
    overdue_on: dt.date | None = None  # only accepted applications past their due date on this day
    person_hash: str | None = None


def _filtered(f: ApplicationFilter) -> Select[Application]:
    stmt = select(Application).where(Application.region_code.startswith(f.region_prefix, autoescape=True))
    if f.status is not None:
        stmt = stmt.where(Application.status == f.status.value)
    if f.program is not None:
        stmt = stmt.where(Application.program == f.program.value)
    if f.due_before is not None:
        stmt = stmt.where(Application.due_date <= f.due_before)
    if f.overdue_on is not None:
        stmt = stmt.where(Application.status == ApplicationStatus.ACCEPTED.value, Application.due_date < f.overdue_on)
    if f.person_hash is not None:
        stmt = stmt.where(
            Application.id.in_(
                select(ApplicationPerson.application_id).where(ApplicationPerson.person_hash == f.person_hash)
            )
        )
    return stmt


async def search(
    session: AsyncSession, f: ApplicationFilter, after: tuple[str | None, str] | None, limit: int
) -> Sequence[Application]:
    """Earliest due date first (so the overdue lead the list), undated ones last, then by id: a stable keyset."""
    stmt = _filtered(f)
    if after is not None:
        due, last_id = after
        if due is None:
            stmt = stmt.where(Application.due_date.is_(None), Application.id > last_id)
        else:
            day = dt.date.fromisoformat(due)
            stmt = stmt.where(
                or_(
                    Application.due_date > day,
                    and_(Application.due_date == day, Application.id > last_id),
                    Application.due_date.is_(None),
                )
            )
    stmt = stmt.order_by(Application.due_date.asc().nulls_last(), Application.id).limit(limit + 1)
    return (await session.execute(stmt)).scalars().all()
