"""The one way a use case reaches a row by its key: not there is the caller's 404, outside the reader's region a 403.

Every service read "get it, 404 if missing, then check the jurisdiction" in its own words; a row's region lives under
different names (`region_code`, a campaign's `county_code`), so the caller names the column.
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from libs.kernel.auth import Principal, ensure_jurisdiction
from libs.kernel.errors import Problem

R = TypeVar("R")


def found_within(who: Principal, row: R | None, missing: Problem, region: str = "region_code") -> R:
    """`row` when there is one inside `who`'s jurisdiction: `missing` when there is none, 403 outside."""
    if row is None:
        raise missing
    ensure_jurisdiction(who, getattr(row, region))
    return row


async def get_within(
    session: AsyncSession,
    who: Principal,
    model: type[R],
    key: Any,
    missing: Problem,
    *,
    region: str = "region_code",
    lock: bool = False,
) -> R:
    """The row of `model` keyed `key` (locked for update when `lock`), as `found_within` lets it through."""
    row = await session.get(model, key, with_for_update=lock or None)
    return found_within(who, row, missing, region)
