"""Keeping intake's copy of the close-relative register, and refusing the staff it names (回避, DOMAIN.md §7)."""

from __future__ import annotations

from collections.abc import Collection
from typing import cast

from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.events.relatives import CloseRelativeFilingChanged
from libs.kernel.auth import Principal
from libs.modules.relatives_register import RecusalRequired, keep_filing, names_relative
from services.intake.context import Intake
from services.intake.relatives.models import RegisteredRelative


async def on_filing_changed(session: AsyncSession, ctx: Intake, e: CloseRelativeFilingChanged) -> None:
    """One row per filing (libs.modules.relatives_register)."""
    await keep_filing(
        session, cast(Table, RegisteredRelative.__table__), e, {"relative_hash": ctx.hash(e.relative_id_number)}
    )


async def is_registered_relative(session: AsyncSession, principal: Principal, person_hashes: Collection[str]) -> bool:
    """Whether the principal is filed, and not withdrawn, as a close relative of any of these people (by user id or
    by real name: libs.modules.relatives_register)."""
    if not person_hashes:
        return False
    return await names_relative(
        session, RegisteredRelative, principal, RegisteredRelative.relative_hash.in_(list(person_hashes))
    )


async def ensure_not_registered_relative(
    session: AsyncSession, principal: Principal, person_hashes: Collection[str]
) -> None:
    """403 `recusal_required` if casework's register names the principal as a relative of one of these people."""
    if await is_registered_relative(session, principal, person_hashes):
        raise RecusalRequired(
            "You are filed as a close relative of a member of this household and must recuse yourself (DOMAIN.md §7)"
        )
