"""Registry queries: households by jurisdiction, person (identity number or name) and village; their versions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from libs.kernel.auth import Principal
from libs.kernel.lookup import get_within
from libs.kernel.pagination import keyset_page
from services.casework.registry.errors import HouseholdNotFound
from services.casework.registry.models import Household, HouseholdMember, HouseholdStatus, HouseholdVersion


async def visible_household(session: AsyncSession, who: Principal, household_id: str) -> Household:
    """The household, if it is inside `who`'s jurisdiction."""
    return await get_within(session, who, Household, household_id, HouseholdNotFound(f"No household {household_id}"))


@dataclass(frozen=True)
class HouseholdFilter:
    region_prefix: str
    status: str | None = None
    # Households the person (by keyed hash) belongs to now.
    person_hash: str | None = None
    # Households with a current member of this full name (exact).
    member_name: str | None = None


async def search(
    session: AsyncSession, f: HouseholdFilter, after: Sequence[str] | None, limit: int
) -> Sequence[Household]:
    """Households inside the prefix by id (`limit + 1` rows for `page_of`)."""
    stmt = select(Household).where(Household.region_code.startswith(f.region_prefix, autoescape=True))
    if f.status is not None:
        stmt = stmt.where(Household.status == f.status)
    if f.person_hash is not None:
        member = select(HouseholdMember.household_id).where(
            HouseholdMember.person_hash == f.person_hash, HouseholdMember.left_at.is_(None)
        )
        stmt = stmt.where(Household.id.in_(member))
    if f.member_name is not None:
        named = select(HouseholdMember.household_id).where(
            HouseholdMember.name == f.member_name, HouseholdMember.left_at.is_(None)
        )
        stmt = stmt.where(Household.id.in_(named))
    return (await session.scalars(keyset_page(stmt, (Household.id,), after, limit))).all()


async def versions_of(session: AsyncSession, household_id: str) -> Sequence[HouseholdVersion]:
    stmt = select(HouseholdVersion).where(HouseholdVersion.household_id == household_id)
    return (await session.scalars(stmt.order_by(HouseholdVersion.version))).all()


async def active_in_village(session: AsyncSession, village_code: str) -> Sequence[Household]:
    """The village's active households, by id (the standing list of its posting)."""
    stmt = (
        select(Household)
        .where(Household.region_code == village_code, Household.status == HouseholdStatus.ACTIVE)
        .order_by(Household.id)
    )
    return (await session.scalars(stmt)).all()
