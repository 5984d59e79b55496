"""The watch list kept from events (DOMAIN.md §5). Every handler is idempotent and tolerant of order: snapshots of a
household's members are applied only when newer than the one held, and an entitlement's paid months are recomputed
from all of its periods received so far."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.events.base import MemberRef, PersonRef
from libs.contracts.events.casework import CaseDecided, CaseOutcome, EntitlementChanged, HouseholdChanged
from libs.contracts.events.intake import ApplicationSubmitted, ApplicationWithdrawn
from libs.contracts.id_number import mask_name, masked_form
from services.matching.context import IDENTITY, Matching
from services.matching.watchlist.models import (
    ApplicationPerson,
    EntitlementPeriod,
    Person,
    WatchApplication,
    WatchEntitlement,
    WatchHousehold,
    WatchMember,
    WatchObligor,
)
from services.matching.watchlist.timeline import PeriodEvent, paid_months

PENDING = "pending"


async def remember_people(session: AsyncSession, ctx: Matching, people: Iterable[PersonRef]) -> dict[str, uuid.UUID]:
    """Keys of `people`, each stored (sealed) so events to casework can name them; the latest name wins."""
    keys: dict[str, uuid.UUID] = {}
    rows = []
    for person in people:
        if person.id_number in keys:
            continue
        key = keys[person.id_number] = ctx.keys.of(person.id_number)
        rows.append(
            {
                "person": key,
                "identity_sealed": ctx.seal(person.model_dump_json(), IDENTITY),
                "id_masked": masked_form(person.id_number),
                "name_masked": mask_name(person.name),
                "updated_at": ctx.now(),
            }
        )
    if rows:
        stmt = insert(Person).values(rows)
        await session.execute(
            stmt.on_conflict_do_update(
                index_elements=[Person.person],
                set_={c: stmt.excluded[c] for c in ("identity_sealed", "id_masked", "name_masked", "updated_at")},
            )
        )
    return keys


async def _apply_members(
    session: AsyncSession,
    ctx: Matching,
    household_id: str,
    region_code: str,
    members: tuple[MemberRef, ...],
    as_of: dt.datetime,
    closed: bool | None = None,
) -> None:
    keys = await remember_people(session, ctx, members)
    held = await session.get(WatchHousehold, household_id, with_for_update=True)
    if held is not None and held.members_as_of > as_of:
        return  # an older snapshot arriving late
    if held is None:
        held = WatchHousehold(household_id=household_id, region_code=region_code, closed=False, size=0)
        session.add(held)
    held.region_code = region_code
    held.members_as_of = as_of
    held.size = len(keys)
    if closed is not None:
        held.closed = closed
    await session.execute(delete(WatchMember).where(WatchMember.household_id == household_id))
    if members:
        await session.execute(
            insert(WatchMember)
            .values(
                [{"household_id": household_id, "person": keys[m.id_number], "relation": m.relation} for m in members]
            )
            .on_conflict_do_nothing()
        )


async def household_changed(session: AsyncSession, ctx: Matching, e: HouseholdChanged) -> None:
    snapshot = e.household
    await _apply_members(
        session, ctx, snapshot.household_id, snapshot.region_code, snapshot.members, e.changed_at, snapshot.closed
    )
    if e.predecessor_household_id:
        # 停旧建新: the obligors of the old household go on supporting the new one (DOMAIN.md §4).
        obligors = (
            await session.scalars(select(WatchObligor).where(WatchObligor.household_id == e.predecessor_household_id))
        ).all()
        await _add_obligors(session, snapshot.household_id, obligors)


async def entitlement_changed(session: AsyncSession, ctx: Matching, e: EntitlementChanged) -> None:
    await _apply_members(session, ctx, e.household_id, e.region_code, e.members, e.changed_at)
    session.add(
        EntitlementPeriod(
            entitlement_id=e.entitlement_id,
            status=e.status.value,
            effective_from=e.effective_from,
            effective_to=e.effective_to,
            changed_at=e.changed_at,
        )
    )
    await session.flush()
    periods = (
        await session.scalars(
            select(EntitlementPeriod)
            .where(EntitlementPeriod.entitlement_id == e.entitlement_id)
            .order_by(EntitlementPeriod.changed_at, EntitlementPeriod.id)
        )
    ).all()
    paid = paid_months(PeriodEvent(p.status, p.effective_from, p.effective_to) for p in periods)
    values = {
        "entitlement_id": e.entitlement_id,
        "household_id": e.household_id,
        "program": e.program.value,
        "open_ended": paid.open_ended,
        "last_paid_month": paid.last_month,
    }
    stmt = insert(WatchEntitlement).values(values)
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=[WatchEntitlement.entitlement_id],
            set_={k: stmt.excluded[k] for k in ("household_id", "program", "open_ended", "last_paid_month")},
        )
    )


async def application_submitted(session: AsyncSession, ctx: Matching, e: ApplicationSubmitted) -> bool:
    """Record the applicants and obligors; False when the application was known already (a repeat)."""
    if await session.get(WatchApplication, e.application_id) is not None:
        return False
    obligors = [o.person for o in e.obligors]
    keys = await remember_people(session, ctx, [*e.members, *obligors])
    session.add(
        WatchApplication(
            application_id=e.application_id,
            region_code=e.region_code,
            program=e.program.value,
            status=PENDING,
            accepted_at=e.accepted_at,
        )
    )
    rows = [
        {"application_id": e.application_id, "person": keys[m.id_number], "role": "member", "relation": m.relation}
        for m in e.members
    ]
    rows += [
        {
            "application_id": e.application_id,
            "person": keys[o.person.id_number],
            "role": "obligor",
            "relation": o.relation,
        }
        for o in e.obligors
    ]
    await session.execute(insert(ApplicationPerson).values(rows).on_conflict_do_nothing())
    return True


async def application_withdrawn(session: AsyncSession, ctx: Matching, e: ApplicationWithdrawn) -> None:
    await session.execute(
        update(WatchApplication).where(WatchApplication.application_id == e.application_id).values(status="withdrawn")
    )


async def case_decided(session: AsyncSession, ctx: Matching, e: CaseDecided) -> None:
    if e.application_id is None:
        return
    application = await session.get(WatchApplication, e.application_id)
    if application is None:
        return
    application.status = "decided"
    application.household_id = e.household_id
    if e.outcome is not CaseOutcome.APPROVED or e.household_id is None:
        return
    # The applicants are now members (household-changed says so); the obligors follow into the household.
    obligors = (
        await session.scalars(
            select(ApplicationPerson).where(
                ApplicationPerson.application_id == e.application_id, ApplicationPerson.role == "obligor"
            )
        )
    ).all()
    await _add_obligors(session, e.household_id, obligors)


async def _add_obligors(
    session: AsyncSession, household_id: str, obligors: Sequence[WatchObligor | ApplicationPerson]
) -> None:
    """The obligors support `household_id` too, each still tied to the application that named them; idempotent."""
    if not obligors:
        return
    await session.execute(
        insert(WatchObligor)
        .values(
            [
                {
                    "household_id": household_id,
                    "person": o.person,
                    "relation": o.relation,
                    "application_id": o.application_id,
                }
                for o in obligors
            ]
        )
        .on_conflict_do_nothing()
    )
