"""The ledger kept from events (CONTRACTS.md §6): `entitlement-changed` (casework), `death-detected` (matching) and
`household-changed` (casework), each applied in the consumer's transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.entitlements import is_current
from libs.contracts.events.casework import EntitlementChanged, HouseholdChanged
from libs.contracts.events.matching import DeathDetected
from libs.contracts.id_number import mask_name
from libs.contracts.money import Money
from services.disbursement.accounts import service as accounts
from services.disbursement.context import ID_NUMBER_CONTEXT, Disbursement
from services.disbursement.entitlements import amount_holds, holds
from services.disbursement.entitlements.counties import county_of, touch
from services.disbursement.entitlements.models import (
    Death,
    Entitlement,
    EntitlementPeriod,
    HoldKind,
    ScheduleSegment,
)
from services.disbursement.ledger.schedule import PeriodEvent, Segment, due_in, schedule, status_in
from services.disbursement.months import add_months, month_containing, month_of
from services.disbursement.recoveries.detection import detect_overpayments

CASEWORK = "casework"
MATCHING = "matching"
SYSTEM = "disbursement"


async def entitlement_changed(session: AsyncSession, ctx: Disbursement, e: EntitlementChanged) -> None:
    county = county_of(e.region_code)
    members = [ctx.hash(m.id_number) for m in e.members]
    first = month_of(e.effective_from)
    now = ctx.now()
    ent = await session.get(Entitlement, e.entitlement_id, with_for_update=True)
    counties = {county}
    if ent is None:
        ent = Entitlement(
            entitlement_id=e.entitlement_id,
            household_id=e.household_id,
            members_as_of=e.changed_at,
            member_hashes=members,
            # A new entitlement is looked at from its first month: an approval that came after that month's roster
            # was locked is paid as arrears (补发).
            dirty_from=first,
        )
        session.add(ent)
    else:
        counties.add(ent.county_code)
        if ent.county_code != county:
            # Moved county: the months around the move are checked against what either county already sent.
            first = min(first, add_months(month_containing(ctx.today()), -1))
        if e.changed_at >= ent.members_as_of:
            ent.member_hashes, ent.members_as_of = members, e.changed_at
        ent.dirty_from = first if ent.dirty_from is None else min(ent.dirty_from, first)
    ent.region_code, ent.county_code, ent.program, ent.status = e.region_code, county, e.program.value, e.status.value
    ent.payee_name = e.payee.name
    ent.payee_id_sealed = ctx.seal(e.payee.id_number, ID_NUMBER_CONTEXT)
    ent.payee_hash = ctx.hash(e.payee.id_number)
    ent.member_count = len(e.members)
    ent.case_id = e.case_id
    ent.changed_at = now
    session.add(
        EntitlementPeriod(
            entitlement_id=e.entitlement_id,
            status=e.status.value,
            amount_fen=Money.from_str(e.monthly_amount).fen,
            first_month=month_of(e.effective_from),
            last_month=month_of(e.effective_to) if e.effective_to else None,
            member_hashes=members,
            changed_at=e.changed_at,
        )
    )
    await session.flush()
    await accounts.take_from_event(session, ctx, e, county)
    await accounts.seal_export_parts(session, ctx, e.household_id)
    await recompute(session, ctx, e.household_id)
    await touch(session, ctx, counties)
    await detect_overpayments(session, ctx, [e.entitlement_id])


async def death_detected(session: AsyncSession, ctx: Disbursement, e: DeathDetected) -> None:
    """Nothing is paid for the months after the death (DOMAIN.md §9), and the household is held until casework
    decides without the person; what was already paid for those months becomes a recovery order."""
    person = ctx.hash(e.person.id_number)
    await session.execute(
        insert(Death)
        .values(
            person_hash=person,
            name_masked=mask_name(e.person.name),
            death_date=e.death_date,
            source=str(e.source),
            feed_id=e.feed_id,
            household_ids=list(e.household_ids),
            detected_at=ctx.now(),
        )
        .on_conflict_do_nothing(index_elements=[Death.person_hash])
    )
    await recompute_person(session, ctx, person, e.household_ids)


async def household_changed(session: AsyncSession, ctx: Disbursement, e: HouseholdChanged) -> None:
    """A move to another region and the current members; amounts change only with `entitlement-changed`."""
    snapshot = e.household
    county = county_of(snapshot.region_code)
    members = [ctx.hash(m.id_number) for m in snapshot.members]
    stmt = select(Entitlement).where(Entitlement.household_id == snapshot.household_id).with_for_update()
    ents = list((await session.scalars(stmt)).all())
    if not ents:
        return
    counties = {county}
    for ent in ents:
        if e.changed_at < ent.members_as_of:
            continue  # older than what the ledger holds (the two topics are not ordered with each other)
        counties.add(ent.county_code)
        if ent.county_code != county:
            moved = add_months(month_containing(ctx.today()), -1)
            ent.dirty_from = moved if ent.dirty_from is None else min(ent.dirty_from, moved)
        ent.region_code, ent.county_code = snapshot.region_code, county
        ent.member_hashes, ent.members_as_of = members, e.changed_at
        ent.changed_at = ctx.now()
    await session.flush()
    await recompute(session, ctx, snapshot.household_id)
    await touch(session, ctx, counties)


async def recompute_person(session: AsyncSession, ctx: Disbursement, person_hash: str, named: Iterable[str]) -> None:
    """After a death is recorded or released: every household named with it or whose entitlements list the person."""
    listing = select(Entitlement.household_id).where(Entitlement.member_hashes.contains([person_hash]))
    households = set(named) | set((await session.scalars(listing)).all())
    changed: list[str] = []
    for household_id in sorted(households):
        changed += await recompute(session, ctx, household_id)
    counties = select(Entitlement.county_code).distinct().where(Entitlement.household_id.in_(households))
    await touch(session, ctx, (await session.scalars(counties)).all())
    await detect_overpayments(session, ctx, changed)


async def recompute(session: AsyncSession, ctx: Disbursement, household_id: str) -> list[str]:
    """Each entitlement's months rebuilt from its events and the deaths among its members; death holds placed or
    released to match. Returns the entitlements whose months changed."""
    ents = list((await session.scalars(select(Entitlement).where(Entitlement.household_id == household_id))).all())
    periods: dict[str, list[EntitlementPeriod]] = {ent.entitlement_id: [] for ent in ents}
    received = (
        select(EntitlementPeriod).where(EntitlementPeriod.entitlement_id.in_(periods)).order_by(EntitlementPeriod.id)
    )
    for period in await session.scalars(received):
        periods[period.entitlement_id].append(period)
    people = {h for ps in periods.values() for p in ps for h in p.member_hashes}
    deaths = {
        d.person_hash: d
        for d in await session.scalars(select(Death).where(Death.person_hash.in_(people), Death.released_at.is_(None)))
    }
    stops = {h: add_months(month_containing(d.death_date), 1) for h, d in deaths.items()}
    changed: list[str] = []
    this_month = month_containing(ctx.today())
    current: set[str] = set()
    for ent in ents:
        events = [
            PeriodEvent(p.status, p.amount_fen, p.first_month, p.last_month, tuple(p.member_hashes))
            for p in periods[ent.entitlement_id]
        ]
        if await _replace_segments(session, ent, schedule(events, stops)):
            changed.append(ent.entitlement_id)
            ent.changed_at = ctx.now()
        # Casework's decision this month, deaths aside: a gradual exit still paying lists its members although its
        # last event was the `stopped` that follows the steps.
        if is_current(status_in(schedule(events, {}), this_month, ent.status)):
            current.add(ent.entitlement_id)
    await _match_death_holds(session, ctx, household_id, ents, current, deaths, stops)
    await amount_holds.match_household(session, ctx, household_id)
    return changed


async def _replace_segments(session: AsyncSession, ent: Entitlement, new: Sequence[Segment]) -> bool:
    rows = await session.scalars(
        select(ScheduleSegment)
        .where(ScheduleSegment.entitlement_id == ent.entitlement_id)
        .order_by(ScheduleSegment.first_month)
    )
    old = [Segment(r.first_month, r.last_month, r.status, r.due_fen, r.origin) for r in rows]  # type: ignore[arg-type]
    if [(s.first_month, s.last_month, s.status, s.due_fen, s.origin) for s in old] == [
        (s.first_month, s.last_month, s.status, s.due_fen, s.origin) for s in new
    ]:
        return False
    differs = _earliest_difference(old, new)
    if differs is not None:
        ent.dirty_from = differs if ent.dirty_from is None else min(ent.dirty_from, differs)
    await session.execute(delete(ScheduleSegment).where(ScheduleSegment.entitlement_id == ent.entitlement_id))
    session.add_all(
        ScheduleSegment(
            entitlement_id=ent.entitlement_id,
            first_month=s.first_month,
            last_month=s.last_month,
            status=s.status,
            due_fen=s.due_fen,
            origin=s.origin.value,
        )
        for s in new
    )
    await session.flush()
    return True


def _earliest_difference(old: Sequence[Segment], new: Sequence[Segment]) -> dt.date | None:
    """The first month whose amount differs: amounts only change at segment boundaries."""
    bounds = sorted(
        {s.first_month for s in (*old, *new)}
        | {add_months(s.last_month, 1) for s in (*old, *new) if s.last_month is not None}
    )
    for month in bounds:
        if due_in(old, month) != due_in(new, month):
            return month
    return None


async def _match_death_holds(
    session: AsyncSession,
    ctx: Disbursement,
    household_id: str,
    ents: Sequence[Entitlement],
    current: set[str],
    deaths: dict[str, Death],
    stops: dict[str, dt.date],
) -> None:
    """A household is held while an entitlement still paying lists a member who died; casework deciding without them
    (or stopping) releases it, as does staff finding the death a false match."""
    listed = {h for ent in ents if ent.entitlement_id in current for h in ent.member_hashes}
    county = ents[0].county_code if ents else ""
    for person, death in deaths.items():
        if person in listed:
            await holds.ensure(
                session,
                ctx,
                household_id=household_id,
                county_code=county,
                kind=HoldKind.DEATH,
                reason=f"死亡 death of {death.name_masked} on {death.death_date.isoformat()} ({death.source})",
                by=MATCHING,
                person_hash=person,
                from_month=stops[person],
            )
    for hold in await holds.active(session, household_id, HoldKind.DEATH):
        if hold.person_hash in deaths and hold.person_hash in listed:
            continue
        if hold.person_hash in deaths:
            await holds.release(session, ctx, hold, by=CASEWORK, reason="casework decided without the person")
        else:
            await holds.release(session, ctx, hold, by=SYSTEM, reason="the death was found a false match")
