"""Queries on applications; every list is scoped to the caller's jurisdiction prefix."""

from __future__ import annotations

import datetime as dt
import typing
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Select,
    Table,
    Text,
    bindparam,
    case,
    cast,
    func,
    literal,
    literal_column,
    null,
    select,
    text,
    tuple_,
    union_all,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from libs.contracts.entitlements import CURRENT
from libs.contracts.programs import Program
from libs.kernel.counts import WorkCounts, counted
from services.intake.application.models import (
    Application,
    ApplicationCounter,
    ApplicationHistory,
    ApplicationPerson,
    ApplicationVersion,
)
from services.intake.application.schemas import OPEN_STATUSES, ApplicationStatus
from services.intake.recipients.models import RecipientHousehold, RecipientMember, RecipientProgram

_KNOWN_PROGRAMS = frozenset(p.value for p in Program)


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


# Statements of every step, built once (building one costs about as much as running it): values come as parameters.
_FOR_UPDATE = select(Application).where(Application.id == bindparam("application_id")).with_for_update()
_SEALED = select(ApplicationVersion.content_sealed).where(
    ApplicationVersion.application_id == bindparam("application_id"), ApplicationVersion.version == bindparam("version")
)
_HISTORY = (
    select(ApplicationHistory)
    .where(ApplicationHistory.application_id == bindparam("application_id"))
    .order_by(ApplicationHistory.id)
)


async def get_for_update(session: AsyncSession, application_id: str) -> Application | None:
    return (await session.execute(_FOR_UPDATE, {"application_id": application_id})).scalar_one_or_none()


async def member_hashes(session: AsyncSession, application_id: str) -> list[str]:
    """The household members of the current version (not its obligors), by keyed hash."""
    stmt = select(ApplicationPerson.person_hash).where(
        ApplicationPerson.application_id == application_id, ApplicationPerson.role != "obligor"
    )
    return list((await session.scalars(stmt)).all())


async def sealed_content(session: AsyncSession, application_id: str, version: int) -> str | None:
    """The sealed content of one version (only that column: the row itself is never needed in the session)."""
    return (await session.execute(_SEALED, {"application_id": application_id, "version": version})).scalar_one_or_none()


async def get(session: AsyncSession, application_id: str) -> Application | None:
    return await session.get(Application, application_id)


async def number_application(session: AsyncSession, app: Application, county_code: str, year: int) -> None:
    """Give `app` (already flushed) the county's next number, e.g. 140402-2026-000123, in one statement: the
    counter's upsert and the application's update share a round trip."""
    counter = (
        pg_insert(ApplicationCounter)
        .values(county_code=county_code, year=year, last_no=1)
        .on_conflict_do_update(index_elements=["county_code", "year"], set_={"last_no": ApplicationCounter.last_no + 1})
        .returning(ApplicationCounter.last_no)
        .cte("counter")
    )
    seq = cast(counter.c.last_no, Text)
    # {seq:06d}: six digits at least, more when the county files over a million in a year.
    number = literal(f"{county_code}-{year}-") + func.lpad(seq, func.greatest(6, func.length(seq)), "0")
    table = typing.cast(Table, Application.__table__)
    stmt = (
        update(table)
        .where(table.c.id == app.id)
        .values(application_no=select(number).scalar_subquery())
        .returning(table.c.application_no)
    )
    # Written by the statement itself, so the unit of work must not write it again.
    set_committed_value(app, "application_no", (await session.execute(stmt)).scalar_one())


@dataclass(frozen=True)
class OpenClaim:
    application_id: str
    application_no: str
    program: Program
    person_hash: str


@dataclass(frozen=True)
class HeldProgram:
    household_id: str
    program: Program
    person_hash: str


async def conflicts(
    session: AsyncSession, person_hashes: Sequence[str], exclude: str
) -> tuple[list[OpenClaim], list[HeldProgram]]:
    """The people's claims in open applications other than `exclude` (oldest first), and the programs their
    recipient households hold: one round trip for both."""
    claims: Select[Any, str, str, str, str, dt.datetime] = (
        select(
            literal_column("'claim'").label("kind"),
            Application.id.label("ref"),
            Application.application_no.label("no"),
            Application.program.label("program"),
            ApplicationPerson.person_hash.label("person_hash"),
            Application.created_at.label("at"),
        )
        .join(ApplicationPerson, ApplicationPerson.application_id == Application.id)
        .where(
            ApplicationPerson.person_hash.in_(person_hashes),
            ApplicationPerson.role == "claimed",
            Application.status.in_([s.value for s in OPEN_STATUSES]),
            Application.id != exclude,
        )
    )
    held = (
        select(
            literal_column("'held'"),
            RecipientMember.household_id,
            null(),
            RecipientProgram.program,
            RecipientMember.person_hash,
            cast(null(), Application.created_at.type),
        )
        .join(RecipientHousehold, RecipientHousehold.household_id == RecipientMember.household_id)
        .join(RecipientProgram, RecipientProgram.household_id == RecipientMember.household_id)
        .where(
            RecipientMember.person_hash.in_(person_hashes),
            RecipientHousehold.closed.is_(False),
            RecipientProgram.status.in_(sorted(CURRENT)),
        )
    )
    rows = (await session.execute(union_all(claims, held).order_by("kind", "at"))).all()
    return (
        [OpenClaim(r.ref, r.no, Program(r.program), r.person_hash) for r in rows if r.kind == "claim"],
        # A program this version does not know (added by a newer casework) cannot conflict with anything here.
        [
            HeldProgram(r.ref, Program(r.program), r.person_hash)
            for r in rows
            if r.kind == "held" and r.program in _KNOWN_PROGRAMS
        ],
    )


async def history_of(session: AsyncSession, application_id: str) -> Sequence[ApplicationHistory]:
    return (await session.execute(_HISTORY, {"application_id": application_id})).scalars().all()


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
    for column, wanted in ((Application.status, f.status), (Application.program, f.program)):
        if wanted is not None:
            stmt = stmt.where(column == wanted.value)
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


# The order of a work list: running clocks first, then what awaits acceptance, then what is closed.
STATUS_RANK: dict[str, int] = {
    ApplicationStatus.ACCEPTED.value: 0,
    ApplicationStatus.SUBMITTED.value: 1,
    ApplicationStatus.RETURNED.value: 1,
    ApplicationStatus.DRAFT.value: 1,
    ApplicationStatus.DECIDED.value: 2,
    ApplicationStatus.WITHDRAWN.value: 2,
}
NO_DUE_DATE = dt.date(9999, 12, 31)  # undated (not yet accepted) sorts after every due date
_rank = case(STATUS_RANK, value=Application.status, else_=2)
_due = func.coalesce(Application.due_date, NO_DUE_DATE)


def sort_key(app: Application) -> tuple[int, str, str]:
    """The keyset of `app` in `search` order, as a cursor carries it."""
    return STATUS_RANK.get(app.status, 2), (app.due_date or NO_DUE_DATE).isoformat(), app.id


async def search(
    session: AsyncSession, f: ApplicationFilter, after: tuple[int, dt.date, str] | None, limit: int
) -> Sequence[Application]:
    """Running clocks first with the earliest due date leading (so the overdue come first), then the rest."""
    stmt = _filtered(f)
    if after is not None:
        stmt = stmt.where(
            tuple_(_rank, _due, Application.id) > tuple_(literal(after[0]), literal(after[1]), literal(after[2]))
        )
    stmt = stmt.order_by(_rank, _due, Application.id).limit(limit + 1)
    return (await session.execute(stmt)).scalars().all()


async def counts(session: AsyncSession, region_prefix: str, today: dt.date) -> WorkCounts:
    """Applications in the region by status, and accepted ones past their due date."""
    overdue = (Application.status == ApplicationStatus.ACCEPTED.value) & (Application.due_date < today)
    within = Application.region_code.startswith(region_prefix, autoescape=True)
    return await counted(session, Application.status, within, overdue)
