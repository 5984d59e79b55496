"""Keeping the recipient projection current from casework's events (one message = one transaction)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.entitlements import CURRENT
from libs.contracts.events.casework import EntitlementChanged, HouseholdChanged
from services.intake.context import Intake
from services.intake.recipients.models import RecipientHousehold, RecipientMember, RecipientProgram


async def _replace_members(
    session: AsyncSession,
    ctx: Intake,
    household_id: str,
    region_code: str,
    ids: Iterable[str],
    as_of: datetime,
    *,
    closed: bool | None = None,
) -> None:
    """Make the household's member set `ids` unless a newer change already did (topics are not mutually ordered)."""
    values: dict[str, object] = {"household_id": household_id, "region_code": region_code, "members_as_of": as_of}
    if closed is not None:
        values["closed"] = closed
    insert = pg_insert(RecipientHousehold).values(**values)
    stmt = insert.on_conflict_do_update(
        index_elements=["household_id"],
        set_={k: insert.excluded[k] for k in values if k != "household_id"},
        where=RecipientHousehold.members_as_of <= as_of,
    ).returning(RecipientHousehold.household_id)
    if (await session.execute(stmt)).scalar_one_or_none() is None:
        return  # older news than what we hold
    await session.execute(delete(RecipientMember).where(RecipientMember.household_id == household_id))
    hashes = {ctx.hash(i) for i in ids}
    if hashes:
        await session.execute(
            pg_insert(RecipientMember).values([{"household_id": household_id, "person_hash": h} for h in hashes])
        )


async def on_entitlement_changed(session: AsyncSession, ctx: Intake, e: EntitlementChanged) -> None:
    ids = [m.id_number for m in e.members] + [e.payee.id_number]
    await _replace_members(session, ctx, e.household_id, e.region_code, ids, e.changed_at)
    stmt = pg_insert(RecipientProgram).values(
        household_id=e.household_id, program=e.program.value, status=e.status.value, as_of=e.changed_at
    )
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=["household_id", "program"],
            set_={"status": stmt.excluded.status, "as_of": stmt.excluded.as_of},
            where=RecipientProgram.as_of <= e.changed_at,
        )
    )


async def on_household_changed(session: AsyncSession, ctx: Intake, e: HouseholdChanged) -> None:
    h = e.household
    await _replace_members(
        session, ctx, h.household_id, h.region_code, [m.id_number for m in h.members], e.changed_at, closed=h.closed
    )


async def household_of(
    session: AsyncSession, ctx: Intake, id_number: str, region_prefix: str
) -> RecipientHousehold | None:
    """The open household holding a program (active, in gradual exit, or suspended) that this person belongs to."""
    stmt = (
        select(RecipientHousehold)
        .join(RecipientMember, RecipientMember.household_id == RecipientHousehold.household_id)
        .where(
            RecipientMember.person_hash == ctx.hash(id_number),
            RecipientHousehold.closed.is_(False),
            RecipientHousehold.region_code.startswith(region_prefix, autoescape=True),
            RecipientHousehold.household_id.in_(
                select(RecipientProgram.household_id).where(RecipientProgram.status.in_(sorted(CURRENT)))
            ),
        )
        .order_by(RecipientHousehold.members_as_of.desc())
        .limit(1)
    )
    return (await session.execute(stmt)).scalar_one_or_none()
