"""Raising a standard (提标, issue 20): preview what a county's new figures change, and confirm it as a batch.

The preview writes nothing. A confirmed batch takes the county's households in id order, a chunk per transaction:
each chunk updates the changed entitlements from the raise's month, writes each household's version as a decision
does, publishes `entitlement-changed` per entitlement through the outbox, and moves the batch's cursor, all in one
commit; so a batch cut short (a crash, a restart) resumes after the last chunk committed and repeats nothing.
Disbursement turns a change effective in a past month into arrears on the next roster, as for any decision.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.period import Period
from libs.kernel.auth import Principal, ensure_jurisdiction
from libs.kernel.lookup import get_within
from services.casework.context import Casework
from services.casework.db import insert_or_existing
from services.casework.local_figures.figures import Standards
from services.casework.local_figures.repository import AreaStandards, standards_in_area
from services.casework.raises import repository
from services.casework.raises.changes import apply_changed
from services.casework.raises.errors import MonthOutOfRange, NoNewStandard, RaiseNotFound
from services.casework.raises.models import BatchStatus, StandardRaiseBatch
from services.casework.raises.policy import Recalculated, Tally, Verdict, recalculate
from services.casework.raises.schemas import RaiseIn

# A raise takes effect from at most this many months back (arrears) or ahead of the current month.
MONTHS_BACK, MONTHS_AHEAD = 12, 3
# Households per transaction of a confirmed batch.
CHUNK = 1000


def _ids(area: AreaStandards) -> frozenset[int]:
    return frozenset(row.id for row in area.rows)


class _Resolver:
    """Standards per region of the area in the raise's month and in the month before (what an imported household
    was paid under), each resolved once per region."""

    def __init__(self, area: AreaStandards, prior: AreaStandards) -> None:
        self.area, self.prior = area, prior
        self.cache: dict[str, Standards] = {}
        self.prior_cache: dict[str, Standards] = {}
        # Figure rows are only ever added: the same row ids are the same figures.
        self.ids = (_ids(area), _ids(prior))

    def same_or_new(self, area: AreaStandards, prior: AreaStandards) -> _Resolver:
        """This resolver, if the areas hold the same rows (so a batch resolves each region once, not once a chunk)."""
        return self if (_ids(area), _ids(prior)) == self.ids else _Resolver(area, prior)

    def __call__(self, region_code: str) -> Standards:
        found = self.cache.get(region_code)
        if found is None:
            found = self.cache[region_code] = self.area.for_region(region_code)
        return found

    def before(self, region_code: str) -> Standards:
        found = self.prior_cache.get(region_code)
        if found is None:
            found = self.prior_cache[region_code] = self.prior.for_region(region_code)
        return found


async def _areas(session: AsyncSession, county: str, month: Period) -> tuple[AreaStandards, AreaStandards]:
    """The county's figures on the raise's first day and on the day before it."""
    first = month.first_day
    return (
        await standards_in_area(session, county, first),
        await standards_in_area(session, county, first - dt.timedelta(days=1)),
    )


async def _checked(session: AsyncSession, who: Principal, body: RaiseIn, today: dt.date) -> tuple[Period, str]:
    """The raise's month and its standards key, or the 4xx: outside the jurisdiction, too far, nothing new."""
    ensure_jurisdiction(who, body.county_code)
    month, current = Period.parse(body.effective_month), Period.of(today)
    if not current - MONTHS_BACK <= month <= current + MONTHS_AHEAD:
        raise MonthOutOfRange(
            f"{month} is not between {current - MONTHS_BACK} and {current + MONTHS_AHEAD}",
            errors=[{"loc": ["body", "effective_month"], "msg": "out of range", "type": MonthOutOfRange.code}],
        )
    area = await standards_in_area(session, body.county_code, month.first_day)
    if not any(row.effective_from == month.first_day for row in area.rows):
        raise NoNewStandard(f"No figure of {body.county_code} takes effect on {month.first_day}")
    ids = ",".join(str(i) for i in sorted(row.id for row in area.rows))
    return month, hashlib.sha256(ids.encode()).hexdigest()[:32]


async def preview(session: AsyncSession, ctx: Casework, who: Principal, body: RaiseIn) -> Tally:
    """What confirming the raise would change; nothing is written."""
    month, _key = await _checked(session, who, body, ctx.today())
    resolve = _Resolver(*await _areas(session, body.county_code, month))
    out = Tally()
    async for held in repository.stream_held(session, ctx, body.county_code, str(month)):
        out.add(recalculate(held, resolve(held.region_code), month.first_day, resolve.before(held.region_code)))
    return out


async def confirm(session: AsyncSession, ctx: Casework, who: Principal, body: RaiseIn) -> StandardRaiseBatch:
    """The batch of this raise: made now, or the one made before for the same county, month and figures."""
    month, key = await _checked(session, who, body, ctx.today())
    now = ctx.now()
    total = await repository.households_in_scope(session, body.county_code, str(month))
    return await insert_or_existing(
        session,
        StandardRaiseBatch,
        {
            "id": f"raise-{uuid.uuid4()}",
            "county_code": body.county_code,
            "effective_month": str(month),
            "standards_key": key,
            "status": BatchStatus.RUNNING,
            "total": total,
            "done": 0,
            "changed": 0,
            "created_by": who.subject,
            "created_at": now,
            "updated_at": now,
        },
        constraint="uq_standard_raise_batches_county_month_key",
        found_by=(
            StandardRaiseBatch.county_code == body.county_code,
            StandardRaiseBatch.effective_month == str(month),
            StandardRaiseBatch.standards_key == key,
        ),
    )


async def get(session: AsyncSession, who: Principal, batch_id: str) -> StandardRaiseBatch:
    missing = RaiseNotFound(f"No standard raise {batch_id}")
    return await get_within(session, who, StandardRaiseBatch, batch_id, missing, region="county_code")


@dataclass(frozen=True, slots=True)
class _Plan:
    """A chunk recalculated, not yet written: the households after `after`, and the changed entitlements."""

    after: str | None
    ids: list[str]
    changed: list[Recalculated]
    resolve: _Resolver | None = None


async def advance(ctx: Casework, batch_id: str, *, chunk: int = CHUNK, max_chunks: int | None = None) -> None:
    """Run the batch to its end (or `max_chunks` chunks), one transaction per chunk. The next chunk is read and
    recalculated (Python's work) while this one is written and committed (the database's), on a second session."""
    async with ctx.sessions() as session:
        batch = await session.get(StandardRaiseBatch, batch_id)
        if batch is None or batch.status == BatchStatus.DONE:
            return
        county, month, cursor = batch.county_code, Period.parse(batch.effective_month), batch.cursor
    plan = await _prepare(ctx, county, month, cursor, chunk)
    chunks = 0
    while True:
        ahead = (
            asyncio.create_task(_prepare(ctx, county, month, plan.ids[-1], chunk, plan.resolve)) if plan.ids else None
        )
        stop = True
        try:
            stop = not await _commit(ctx, batch_id, plan, month)
            chunks += 1
            stop = stop or chunks == max_chunks
        finally:
            if ahead is not None and stop:
                ahead.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await ahead
        if ahead is None or stop:
            return
        plan = await ahead


async def _prepare(
    ctx: Casework, county: str, month: Period, after: str | None, size: int, resolve: _Resolver | None = None
) -> _Plan:
    async with ctx.sessions() as session:
        ids = await repository.households_after(session, county, str(month), after, size)
        if not ids:
            return _Plan(after, [], [])
        areas = await _areas(session, county, month)
        resolve = resolve.same_or_new(*areas) if resolve else _Resolver(*areas)
        held = await repository.held_of_households(session, ctx, county, str(month), ids)
    recalculated = (
        recalculate(h, resolve(h.region_code), month.first_day, resolve.before(h.region_code)) for h in held
    )
    return _Plan(after, ids, [r for r in recalculated if r.verdict is Verdict.CHANGED], resolve)


async def _commit(ctx: Casework, batch_id: str, plan: _Plan, month: Period) -> bool:
    """Write a chunk and move the cursor; False when the batch is done, or another runner moved the cursor since the
    chunk was read (that runner goes on; the batch row is locked, so two runners take turns)."""
    async with ctx.sessions.begin() as session:
        batch = await session.get(StandardRaiseBatch, batch_id, with_for_update=True)
        if batch is None or batch.status == BatchStatus.DONE or batch.cursor != plan.after:
            return False
        now = ctx.now()
        batch.updated_at = now
        if not plan.ids:
            batch.status, batch.finished_at = BatchStatus.DONE, now
            return False
        written = await apply_changed(session, ctx, plan.changed, month)
        batch.cursor, batch.done, batch.changed = plan.ids[-1], batch.done + len(plan.ids), batch.changed + written
        return True


async def stalled(session: AsyncSession, now: dt.datetime, idle: dt.timedelta) -> list[str]:
    """Batches left running with no chunk for `idle` (their runner stopped): the worker resumes them."""
    stmt = select(StandardRaiseBatch.id).where(
        StandardRaiseBatch.status == BatchStatus.RUNNING, StandardRaiseBatch.updated_at < now - idle
    )
    return list((await session.scalars(stmt)).all())
