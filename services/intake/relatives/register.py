"""Keeping intake's copy of the close-relative register, and refusing the staff it names (回避, DOMAIN.md §7)."""

from __future__ import annotations

from collections.abc import Collection
from typing import cast

from sqlalchemy import Table, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.events.relatives import CloseRelativeFilingChanged
from libs.kernel.auth import Principal
from libs.modules.relatives_register import keep_filing
from services.intake.context import Intake
from services.intake.relatives.errors import RecusalRequired
from services.intake.relatives.models import RegisteredRelative


async def on_filing_changed(session: AsyncSession, ctx: Intake, e: CloseRelativeFilingChanged) -> None:
    """One row per filing (libs.modules.relatives_register)."""
    await keep_filing(
        session, cast(Table, RegisteredRelative.__table__), e, {"relative_hash": ctx.hash(e.relative_id_number)}
    )


async def is_registered_relative(session: AsyncSession, principal: Principal, person_hashes: Collection[str]) -> bool:
    """Whether the principal is filed, and not withdrawn, as a close relative of any of these people.

    By user id when the filing gives it, by real name always (a namesake is refused too: recusal errs on the side of
    keeping a relative's hands off, as for declared relatives)."""
    if not person_hashes:
        return False
    same_staff = RegisteredRelative.staff_user == principal.subject
    if principal.display_name:
        same_staff = or_(same_staff, RegisteredRelative.staff_name == principal.display_name)
    stmt = select(
        exists().where(
            RegisteredRelative.relative_hash.in_(list(person_hashes)),
            RegisteredRelative.withdrawn_at.is_(None),
            same_staff,
        )
    )
    return bool((await session.execute(stmt)).scalar_one())


async def ensure_not_registered_relative(
    session: AsyncSession, principal: Principal, person_hashes: Collection[str]
) -> None:
    """403 `recusal_required` if casework's register names the principal as a relative of one of these people."""
    if await is_registered_relative(session, principal, person_hashes):
        raise RecusalRequired(
            "You are filed as a close relative of a member of this household and must recuse yourself (DOMAIN.md §7)"
        )
