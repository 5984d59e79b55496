"""Per-region figures dated from the day they take effect (DOMAIN.md §12: local figures are data): each service keeps
its own table of them (`region_prefix`, `effective_from`, the figures), and reads it the same way. On a day, a region
is governed by the most specific prefix of its code that has figures in force, and of that prefix's rows the latest;
the empty prefix is the national default. Rows are never changed: new figures are a new row from a later date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, func, literal, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase

# A mapped table with the columns `region_prefix` ("" = national default) and `effective_from`.
R = TypeVar("R", bound=DeclarativeBase)


def _keys(table: type[DeclarativeBase]) -> tuple[ColumnElement[str], ColumnElement[dt.date]]:
    columns: Any = table.__table__.c
    return columns.region_prefix, columns.effective_from


async def in_force(session: AsyncSession, table: type[R], region_code: str, day: dt.date) -> R | None:
    """The row governing `region_code` on `day`: the most specific prefix in force, its latest row."""
    prefix, effective_from = _keys(table)
    stmt = (
        select(table)
        .where(literal(region_code).startswith(prefix), effective_from <= day)
        .order_by(func.length(prefix).desc(), effective_from.desc())
        .limit(1)
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def bearing_on(session: AsyncSession, table: type[R], region_code: str) -> Sequence[R]:
    """Every row that bears on `region_code` (its own and its parents', the national default included), widest
    prefix first, each prefix's rows by date."""
    prefix, effective_from = _keys(table)
    stmt = select(table).where(literal(region_code).startswith(prefix)).order_by(prefix, effective_from)
    return (await session.execute(stmt)).scalars().all()


async def add(session: AsyncSession, row: R, already: Callable[[], Exception]) -> R:
    """Store a new row; a prefix that already has a row from that date raises `already()` (figures are kept)."""
    try:
        async with session.begin_nested():
            session.add(row)
    except IntegrityError:
        raise already() from None
    return row
