"""Checking a hit (DOMAIN.md §5): the township confirms it (casework opens a review with the evidence) or dismisses
it with a reason. Either closes it for good: the same evidence never raises it again."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.events.base import PersonRef
from libs.contracts.events.matching import MatchHitConfirmed
from libs.kernel.auth import Principal
from libs.kernel.errors import NotFound
from libs.kernel.lookup import get_within
from libs.kernel.presenters import from_row
from services.matching.context import IDENTITY, Matching
from services.matching.hits.errors import HitClosed
from services.matching.hits.models import Hit, HitStatus
from services.matching.relatives.register import ensure_not_registered_relative
from services.matching.watchlist.models import Person, WatchMember


async def hit_in_jurisdiction(session: AsyncSession, who: Principal, hit_id: str, *, lock: bool = False) -> Hit:
    return await get_within(session, who, Hit, hit_id, NotFound("No such hit"), lock=lock)


async def _hit_to_check(session: AsyncSession, who: Principal, hit_id: str) -> Hit:
    """The hit, locked, for someone not filed in casework's register as a close relative of the person it is about
    or of a member of that household (DOMAIN.md §7): checked before anything changes."""
    hit = await hit_in_jurisdiction(session, who, hit_id, lock=True)
    members = select(WatchMember.person).where(WatchMember.household_id == hit.household_id)
    await ensure_not_registered_relative(session, who, {hit.person, *(await session.scalars(members))})
    return hit


def _close(hit: Hit, ctx: Matching, who: Principal, status: HitStatus, resolution: str) -> None:
    if hit.status != HitStatus.OPEN.value:
        raise HitClosed(f"The hit is {hit.status} already", status_now=hit.status)
    hit.status = status.value
    hit.resolved_at = ctx.now()
    hit.resolved_by = who.subject
    hit.resolved_by_name = who.display_name or who.name
    hit.resolution = resolution


async def confirm(session: AsyncSession, ctx: Matching, who: Principal, hit_id: str, note: str) -> Hit:
    hit = await _hit_to_check(session, who, hit_id)
    _close(hit, ctx, who, HitStatus.CONFIRMED, note)
    person = await session.get(Person, hit.person)
    assert person is not None  # every watched key was stored with its identity
    identity = PersonRef.model_validate_json(ctx.open(person.identity_sealed, IDENTITY))
    payload = from_row(MatchHitConfirmed, hit, hit_id=hit.id, rule=hit.rule_id, person=identity, confirmed_at=ctx.now())
    await ctx.publish(session, payload, subject=f"household/{hit.household_id}", key=hit.household_id)
    return hit


async def dismiss(session: AsyncSession, ctx: Matching, who: Principal, hit_id: str, reason: str) -> Hit:
    hit = await _hit_to_check(session, who, hit_id)
    _close(hit, ctx, who, HitStatus.DISMISSED, reason)
    return hit
