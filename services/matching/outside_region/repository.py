"""Reading the rows refused as outside their provider's region, for the staff of the people's region."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.matching.outside_region.models import OutsideRegionRow


async def rows_page(
    session: AsyncSession, prefix: str, source: str | None, after: tuple[dt.datetime, int] | None, limit: int
) -> list[OutsideRegionRow]:
    """Up to `limit + 1` rows about people under `prefix` (one more says there is a next page), the latest first."""
    stmt = select(OutsideRegionRow).where(OutsideRegionRow.region_code.startswith(prefix, autoescape=True))
    if source is not None:
        stmt = stmt.where(OutsideRegionRow.source == source)
    if after is not None:
        stmt = stmt.where(func.row(OutsideRegionRow.recorded_at, OutsideRegionRow.id) < func.row(*after))
    stmt = stmt.order_by(OutsideRegionRow.recorded_at.desc(), OutsideRegionRow.id.desc()).limit(limit + 1)
    return list((await session.scalars(stmt)).all())
