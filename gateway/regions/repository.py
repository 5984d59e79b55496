"""The region table's reads and writes."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.regions.models import REVISIONS, Region


async def named_under(session: AsyncSession, prefix: str, limit: int) -> Sequence[Region]:
    rows = await session.scalars(
        select(Region).where(Region.code.startswith(prefix, autoescape=True)).order_by(Region.code).limit(limit)
    )
    return rows.all()


async def name(session: AsyncSession, code: str, name: str, by: str) -> None:
    """A new name replaces the old one."""
    await session.execute(
        insert(Region)
        .values(code=code, name=name, updated_by=by)
        .on_conflict_do_update(
            index_elements=[Region.code],
            # A renamed region is sent to the services again, after every name they already have.
            set_={"name": name, "updated_by": by, "updated_at": func.now(), "revision": REVISIONS.next_value()},
        )
    )
