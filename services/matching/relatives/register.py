"""Keeping matching's copy of the close-relative register, and refusing the staff it names (回避, DOMAIN.md §7)."""

from __future__ import annotations

import uuid
from collections.abc import Collection

from sqlalchemy import exists, func, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.events.relatives import CloseRelativeFilingChanged, FilingState
from libs.kernel.auth import Principal
from services.matching.context import Matching
from services.matching.relatives.errors import RecusalRequired
from services.matching.relatives.models import RegisteredRelative


async def on_filing_changed(session: AsyncSession, ctx: Matching, e: CloseRelativeFilingChanged) -> None:
    """One row per filing. A filing is only ever withdrawn after it is made, so a withdrawal is kept whatever order
    the events arrive in, and a redelivery changes nothing."""
    withdrawn_at = e.changed_at if e.state is FilingState.WITHDRAWN else None
    insert = pg_insert(RegisteredRelative).values(
        filing_id=e.filing_id,
        staff_user=e.staff_user,
        staff_name=e.staff_name,
        relative=ctx.keys.of(e.relative_id_number),
        filed_at=e.changed_at,
        withdrawn_at=withdrawn_at,
    )
    if withdrawn_at is None:
        await session.execute(insert.on_conflict_do_nothing(index_elements=["filing_id"]))
        return
    # The first withdrawal time stays; a filing event arriving late leaves it withdrawn.
    await session.execute(
        insert.on_conflict_do_update(
            index_elements=["filing_id"],
            set_={"withdrawn_at": func.coalesce(RegisteredRelative.withdrawn_at, insert.excluded.withdrawn_at)},
        )
    )


async def ensure_not_registered_relative(
    session: AsyncSession, principal: Principal, people: Collection[uuid.UUID]
) -> None:
    """403 `recusal_required` if casework's register names the principal (by user id, or by real name: a namesake
    is refused too, erring on the side of keeping a relative's hands off) as a relative of one of these people."""
    if not people:
        return
    same_staff = RegisteredRelative.staff_user == principal.subject
    if principal.display_name:
        same_staff = or_(same_staff, RegisteredRelative.staff_name == principal.display_name)
    stmt = select(
        exists().where(
            RegisteredRelative.relative.in_(list(people)),
            RegisteredRelative.withdrawn_at.is_(None),
            same_staff,
        )
    )
    if (await session.execute(stmt)).scalar_one():
        raise RecusalRequired(
            "You are filed as a close relative of a member of this household and must recuse yourself (DOMAIN.md §7)"
        )
