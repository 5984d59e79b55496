"""How hits and deaths are shown to staff: masked people, and whether an open hit is past its two weeks."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from libs.kernel.presenters import from_row
from services.matching.hits import repository
from services.matching.hits.models import Death, Hit, HitStatus
from services.matching.hits.schemas import DeathOut, HitOut, OverdueOut, TownshipOverdue
from services.matching.watchlist.models import Person


def hit_out(hit: Hit, person: Person | None, today: dt.date) -> HitOut:
    return from_row(
        HitOut,
        hit,
        hit_id=hit.id,
        rule=hit.rule_id,
        person_id_masked=person.id_masked if person else "",
        person_name_masked=person.name_masked if person else "",
        overdue=hit.status == HitStatus.OPEN.value and hit.due_date < today,
        resolved_by=hit.resolved_by_name,
    )


async def one_hit(session: AsyncSession, hit: Hit, today: dt.date) -> HitOut:
    return hit_out(hit, await repository.person(session, hit.person), today)


def overdue_out(
    prefix: str,
    today: dt.date,
    counts: list[repository.TownshipCount],
    hits: list[Hit],
    people: dict[uuid.UUID, Person],
) -> OverdueOut:
    return OverdueOut(
        region_code=prefix,
        as_of=today,
        by_township=[TownshipOverdue(township_code=t, overdue=n, oldest_due_date=d) for t, n, d in counts],
        items=[hit_out(h, people.get(h.person), today) for h in hits],
    )


def death_out(row: tuple[Death, Person]) -> DeathOut:
    death, person = row
    return from_row(DeathOut, death, person_id_masked=person.id_masked, person_name_masked=person.name_masked)
