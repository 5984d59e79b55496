"""Keeping complaints' copy of the close-relative register and of households' members, and refusing the staff the
register names on the items about their relatives' households (回避, DOMAIN.md §7)."""

from __future__ import annotations

from typing import cast

from sqlalchemy import Table, delete, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlalchemy.sql import ColumnElement

from libs.contracts.events.casework import HouseholdChanged
from libs.contracts.events.relatives import CloseRelativeFilingChanged
from libs.kernel.auth import Principal
from libs.modules.relatives_register import RecusalRequired, keep_filing, names_relative
from services.complaints.context import Complaints
from services.complaints.relatives.models import KnownHousehold, KnownMember, RegisteredRelative


async def on_filing_changed(session: AsyncSession, ctx: Complaints, e: CloseRelativeFilingChanged) -> None:
    """One row per filing (libs.modules.relatives_register)."""
    await keep_filing(
        session, cast(Table, RegisteredRelative.__table__), e, {"relative_hash": ctx.hash(e.relative_id_number)}
    )


async def on_household_changed(session: AsyncSession, ctx: Complaints, e: HouseholdChanged) -> None:
    """The household's members as the newest snapshot gives them; an older or repeated one changes nothing."""
    snapshot = e.household
    upsert = pg_insert(KnownHousehold).values(household_id=snapshot.household_id, members_as_of=e.changed_at)
    newer = await session.scalar(
        upsert.on_conflict_do_update(
            index_elements=["household_id"],
            set_={"members_as_of": upsert.excluded.members_as_of},
            where=KnownHousehold.members_as_of < upsert.excluded.members_as_of,
        ).returning(KnownHousehold.household_id)
    )
    if newer is None:
        return
    await session.execute(delete(KnownMember).where(KnownMember.household_id == snapshot.household_id))
    hashes = {ctx.hash(m.id_number) for m in snapshot.members}
    if hashes:
        await session.execute(
            pg_insert(KnownMember).values([{"household_id": snapshot.household_id, "person_hash": h} for h in hashes])
        )


async def ensure_not_registered_relative(
    session: AsyncSession, who: Principal, *, person_hash: str | None, household_id: str | None
) -> None:
    """403 `recusal_required` if casework's register names `who` as a close relative of the item's person, or of a
    member of its household (the one named, or any the person belongs to), by user id or by real name
    (libs.modules.relatives_register)."""
    if person_hash is None and household_id is None:
        return
    housemate = aliased(KnownMember)
    of_household: list[ColumnElement[bool]] = []
    if person_hash is not None:
        of_household.append(
            KnownMember.household_id.in_(select(housemate.household_id).where(housemate.person_hash == person_hash))
        )
    if household_id is not None:
        of_household.append(KnownMember.household_id == household_id)
    people = select(KnownMember.person_hash).where(or_(*of_household))
    related: ColumnElement[bool] = RegisteredRelative.relative_hash.in_(people)
    if person_hash is not None:
        related = or_(related, RegisteredRelative.relative_hash == person_hash)
    if await names_relative(session, RegisteredRelative, who, related):
        raise RecusalRequired(
            "You are filed as a close relative of the person or a member of the household this item is about, and "
            "must recuse yourself (DOMAIN.md §7)"
        )
