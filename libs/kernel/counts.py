"""A work list's counts (`GET …/counts`): how many items there are in the caller's jurisdiction, by status, and how
many are past their deadline. The console's 我的待办 shows them beside each list, so a list cut at one page still
says how much work there is."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute


class WorkCounts(BaseModel):
    by_status: dict[str, int]
    overdue: int


async def counted(
    session: AsyncSession,
    status: InstrumentedAttribute[str],
    within: ColumnElement[bool],
    overdue: ColumnElement[bool],
) -> WorkCounts:
    """Rows `within` the jurisdiction by `status`, and those also `overdue`, in two grouped scans."""
    rows: Any = await session.execute(select(status, func.count()).where(within).group_by(status))
    late = await session.scalar(select(func.count()).select_from(status.class_).where(within, overdue))
    return WorkCounts(by_status={str(s): int(n) for s, n in rows.all()}, overdue=int(late or 0))
