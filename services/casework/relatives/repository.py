"""Look-ups in the close-relative register, and of the households a filed relative belongs to."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from sqlalchemy import Select, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.casework.registry.models import Household, HouseholdMember
from services.casework.relatives.models import StaffRelative
from services.casework.relatives.schemas import FilingStatus


async def active_relatives_of(session: AsyncSession, person_hashes: Collection[str]) -> list[StaffRelative]:
    """Filed relations (not withdrawn) naming any of these people as the relative."""
    if not person_hashes:
        return []
    stmt = select(StaffRelative).where(
        StaffRelative.relative_hash.in_(list(person_hashes)), StaffRelative.withdrawn_at.is_(None)
    )
    return list((await session.scalars(stmt)).all())


async def active_duplicate(
    session: AsyncSession, *, staff_user: str | None, staff_name: str, relative_hash: str, relation: str
) -> StaffRelative | None:
    """An active filing of the same relation: matched on the user id when both filings carry one, else on the
    staff member's name (the name is what a recusal names, see `uq_recusals_subject_staff`)."""
    same_staff = StaffRelative.staff_name == staff_name
    if staff_user is not None:
        same_staff = or_(StaffRelative.staff_user == staff_user, (StaffRelative.staff_user.is_(None)) & same_staff)
    stmt = (
        select(StaffRelative)
        .where(
            StaffRelative.relative_hash == relative_hash,
            StaffRelative.relation == relation,
            StaffRelative.withdrawn_at.is_(None),
            same_staff,
        )
        .limit(1)
    )
    return (await session.scalars(stmt)).first()


async def filing_by_id(session: AsyncSession, filing_id: int, *, for_update: bool = False) -> StaffRelative | None:
    stmt = select(StaffRelative).where(StaffRelative.id == filing_id)
    if for_update:
        stmt = stmt.with_for_update()
    return (await session.scalars(stmt)).first()


@dataclass(frozen=True)
class FilingFilter:
    region_prefix: str
    staff_user: str | None = None
    status: FilingStatus | None = None


def _filtered(f: FilingFilter) -> Select[StaffRelative]:
    stmt = select(StaffRelative).where(StaffRelative.staff_region.startswith(f.region_prefix, autoescape=True))
    if f.staff_user is not None:
        stmt = stmt.where(StaffRelative.staff_user == f.staff_user)
    if f.status is FilingStatus.ACTIVE:
        stmt = stmt.where(StaffRelative.withdrawn_at.is_(None))
    elif f.status is FilingStatus.WITHDRAWN:
        stmt = stmt.where(StaffRelative.withdrawn_at.is_not(None))
    return stmt


async def search(session: AsyncSession, f: FilingFilter, after_id: int | None, limit: int) -> Sequence[StaffRelative]:
    """Filings inside the prefix, newest first (`limit + 1` rows for `page_of`)."""
    stmt = _filtered(f)
    if after_id is not None:
        stmt = stmt.where(StaffRelative.id < after_id)
    stmt = stmt.order_by(StaffRelative.id.desc()).limit(limit + 1)
    return (await session.scalars(stmt)).all()


async def households_with_member(session: AsyncSession, person_hash: str) -> list[str]:
    """Households where the person is a current member (a member who left no longer makes it related)."""
    stmt = (
        select(HouseholdMember.household_id)
        .where(HouseholdMember.person_hash == person_hash, HouseholdMember.left_at.is_(None))
        .distinct()
    )
    return list((await session.scalars(stmt)).all())


async def mark_close_relative(session: AsyncSession, household_ids: Collection[str]) -> None:
    """Make the households close-relative households (county review at every cycle, DOMAIN.md §3.5)."""
    await session.execute(update(Household).where(Household.id.in_(list(household_ids))).values(close_relative=True))
