"""Reading hits and deaths for staff: pages in the caller's jurisdiction, overdue counts per township, and the
masked identity of each person named."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from libs.kernel.counts import WorkCounts, counted
from libs.kernel.pagination import keyset_page
from services.matching.hits.models import Death, Hit, HitStatus
from services.matching.watchlist.models import Person

# A township's overdue hits: its code, how many, and the oldest due date.
TownshipCount = tuple[str, int, dt.date]

# The overdue list shows this many hits; the counts per township cover them all.
OVERDUE_LISTED = 1000


@dataclass(frozen=True)
class HitFilter:
    prefix: str
    status: HitStatus | None = None
    source: str | None = None
    rule: str | None = None
    overdue_on: dt.date | None = None  # only hits open and past due on this day


async def hits_page(
    session: AsyncSession, where: HitFilter, after: tuple[dt.date, str] | None, limit: int
) -> list[Hit]:
    """Up to `limit + 1` hits (one more says there is a next page), the soonest due first."""
    stmt = select(Hit).where(Hit.region_code.startswith(where.prefix, autoescape=True))
    if where.status is not None:
        stmt = stmt.where(Hit.status == where.status.value)
    if where.source is not None:
        stmt = stmt.where(Hit.source == where.source)
    if where.rule is not None:
        stmt = stmt.where(Hit.rule_id == where.rule)
    if where.overdue_on is not None:
        stmt = stmt.where(Hit.status == HitStatus.OPEN.value, Hit.due_date < where.overdue_on)
    stmt = keyset_page(stmt, (Hit.due_date, Hit.id), after, limit, whole_row=True)
    return list((await session.scalars(stmt)).all())


async def counts(session: AsyncSession, prefix: str, today: dt.date) -> WorkCounts:
    """Hits under `prefix` by status, and open ones past their two weeks (due before `today`)."""
    late = (Hit.status == HitStatus.OPEN.value) & (Hit.due_date < today)
    return await counted(session, Hit.status, Hit.region_code.startswith(prefix, autoescape=True), late)


async def overdue(session: AsyncSession, prefix: str, today: dt.date) -> tuple[list[TownshipCount], list[Hit]]:
    """Open hits past due under `prefix`: (township, how many, the oldest due date) per township, and the first
    `OVERDUE_LISTED` of them, the oldest first."""
    late = (
        Hit.region_code.startswith(prefix, autoescape=True),
        Hit.status == HitStatus.OPEN.value,
        Hit.due_date < today,
    )
    counts = await session.execute(
        select(Hit.township_code, func.count(), func.min(Hit.due_date))
        .where(*late)
        .group_by(Hit.township_code)
        .order_by(Hit.township_code)
    )
    listed = await session.scalars(select(Hit).where(*late).order_by(Hit.due_date, Hit.id).limit(OVERDUE_LISTED))
    return [(t, n, d) for t, n, d in counts.all()], list(listed.all())


async def people_of(session: AsyncSession, hits: Sequence[Hit]) -> dict[uuid.UUID, Person]:
    keys = {h.person for h in hits}
    if not keys:
        return {}
    return {p.person: p for p in await session.scalars(select(Person).where(Person.person.in_(keys)))}


async def person(session: AsyncSession, key: uuid.UUID) -> Person | None:
    return await session.get(Person, key)


async def deaths_page(
    session: AsyncSession, prefix: str, after: tuple[dt.datetime, str] | None, limit: int
) -> list[tuple[Death, Person]]:
    """Up to `limit + 1` deaths raised under `prefix` with the person of each, the latest first."""
    stmt = select(Death, Person).join(Person, Person.person == Death.person)
    stmt = stmt.where(Death.region_code.startswith(prefix, autoescape=True))
    stmt = keyset_page(stmt, (Death.raised_at.desc(), func.text(Death.person).desc()), after, limit, whole_row=True)
    return [(death, who) for death, who in (await session.execute(stmt)).all()]
