"""Deaths of recipients and members (DOMAIN.md §5): `death-detected` as soon as the feed is matched, once per person.

Whether the death comes from the health commission, a police deregistration or a cremation record, and however often
feeds repeat it, the `deaths` row (keyed by the person) lets one event out. The event names every household the
person was watched in, so casework opens a review in each and disbursement holds each from the month after.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, literal, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.events.base import PersonRef
from libs.contracts.events.matching import DeathDetected
from libs.kernel.presenters import from_row
from services.matching.context import IDENTITY, Matching
from services.matching.hits.models import Death
from services.matching.rules.compile import matched, predicate
from services.matching.rules.spec import Role, RuleKind, RuleSpec
from services.matching.watchlist.models import Person


async def raise_deaths(session: AsyncSession, ctx: Matching, rules: Sequence[RuleSpec]) -> int:
    raised = 0
    m = matched.c
    for rule in rules:
        if not rule.enabled or rule.kind is not RuleKind.DEATH:
            continue
        found = (
            select(
                m.person,
                func.min(m.event_date).label("death_date"),
                func.min(m.source).label("source"),
                func.min(m.feed_id).label("feed_id"),
                func.array_agg(func.distinct(m.household_id)).label("household_ids"),
                func.min(m.region_code).label("region_code"),
                literal(ctx.now()),
            )
            .where(predicate(rule, (Role.MEMBER,)), m.household_id.is_not(None), m.event_date.is_not(None))
            .group_by(m.person)
        )
        stmt = (
            insert(Death)
            .from_select(
                ["person", "death_date", "source", "feed_id", "household_ids", "region_code", "raised_at"], found
            )
            .on_conflict_do_nothing(index_elements=["person"])
            .returning(Death.person, Death.death_date, Death.source, Death.feed_id, Death.household_ids)
        )
        new = (await session.execute(stmt)).all()
        if not new:
            continue
        people = {
            p.person: p
            for p in (await session.scalars(select(Person).where(Person.person.in_([row.person for row in new]))))
        }
        for row in new:
            person = people.get(row.person)
            if person is None:  # cannot happen: every watched key was stored with its identity
                continue
            households = tuple(sorted(row.household_ids))
            identity = PersonRef.model_validate_json(ctx.open(person.identity_sealed, IDENTITY))
            payload = from_row(DeathDetected, row, person=identity, household_ids=households, detected_at=ctx.now())
            await ctx.publish(session, payload, subject=f"household/{households[0]}", key=households[0])
            raised += 1
    return raised
