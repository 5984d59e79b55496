"""Keeping matching's copy of the close-relative register, and refusing the staff it names (回避, DOMAIN.md §7)."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from typing import cast

from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.events.relatives import CloseRelativeFilingChanged
from libs.kernel.auth import Principal
from libs.modules.relatives_register import RecusalRequired, keep_filing, names_relative
from services.matching.context import Matching
from services.matching.relatives.models import RegisteredRelative


async def on_filing_changed(session: AsyncSession, ctx: Matching, e: CloseRelativeFilingChanged) -> None:
    """One row per filing (libs.modules.relatives_register)."""
    await keep_filing(
        session, cast(Table, RegisteredRelative.__table__), e, {"relative": ctx.keys.of(e.relative_id_number)}
    )


async def ensure_not_registered_relative(
    session: AsyncSession, principal: Principal, people: Collection[uuid.UUID]
) -> None:
    """403 `recusal_required` if casework's register names the principal (by user id, or by real name: a namesake
    is refused too, erring on the side of keeping a relative's hands off) as a relative of one of these people."""
    if not people:
        return
    if await names_relative(session, RegisteredRelative, principal, RegisteredRelative.relative.in_(list(people))):
        raise RecusalRequired(
            "You are filed as a close relative of a member of this household and must recuse yourself (DOMAIN.md §7)"
        )
