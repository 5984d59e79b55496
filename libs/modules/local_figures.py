"""Per-region figures dated from the day they take effect (DOMAIN.md §12: local figures are data): each service keeps
its own table of them (`region_prefix`, `effective_from`, the figures), and reads it the same way. On a day, a region
is governed by the most specific prefix of its code that has figures in force, and of that prefix's rows the latest;
the empty prefix is the national default. Rows are never changed: new figures are a new row from a later date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Query
from pydantic import StringConstraints
from sqlalchemy import ColumnElement, UniqueConstraint, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr

from libs.kernel.column_types import SerialKey

# The prefix a row is set for, as a request gives it: a province, city, county, township or village code, or "" for
# the nation.
RegionPrefix = Annotated[str, StringConstraints(pattern=r"^([0-9]{2}|[0-9]{4}|[0-9]{6}|[0-9]{9}|[0-9]{12})?$")]
# The region whose figures are asked for: a county, township or village code.
RegionQuery = Annotated[str, Query(pattern=r"^[0-9]{6,12}$")]


class FiguresRow:
    """Mixed into a service's model of its table (`class Policy(FiguresRow, Base)`): the columns every row has. The
    service's class names the table and adds its figures; a prefix has at most one row from a date."""

    __tablename__: str

    id: Mapped[SerialKey]
    region_prefix: Mapped[str]  # "" = national default
    effective_from: Mapped[dt.date]
    created_by: Mapped[str]
    created_at: Mapped[dt.datetime]

    @declared_attr.directive
    @classmethod
    def __table_args__(cls) -> tuple[Any, ...]:
        return (UniqueConstraint("region_prefix", "effective_from", name=f"uq_{cls.__tablename__}_prefix_from"),)


# A mapped table with the columns `region_prefix` ("" = national default) and `effective_from` (a FiguresRow, or a
# model declaring them itself).
R = TypeVar("R", bound=DeclarativeBase)
F = TypeVar("F")


def prefixes_of(region_code: str) -> list[str]:
    """Every prefix of `region_code`, the empty one (national) included: a row bears on the region when its prefix is
    one of them. Asked as `region_prefix IN (…)` rather than `:code LIKE region_prefix || '%'`, the look-up uses the
    index on the prefix instead of reading every row of the table (issue 23)."""
    return [region_code[:n] for n in range(len(region_code) + 1)]


def _keys(table: type[DeclarativeBase]) -> tuple[ColumnElement[str], ColumnElement[dt.date]]:
    columns: Any = table.__table__.c
    return columns.region_prefix, columns.effective_from


async def in_force(session: AsyncSession, table: type[R], region_code: str, day: dt.date) -> R | None:
    """The row governing `region_code` on `day`: the most specific prefix in force, its latest row."""
    prefix, effective_from = _keys(table)
    stmt = (
        select(table)
        .where(prefix.in_(prefixes_of(region_code)), effective_from <= day)
        .order_by(func.length(prefix).desc(), effective_from.desc())
        .limit(1)
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def bearing_on(session: AsyncSession, table: type[R], region_code: str) -> Sequence[R]:
    """Every row that bears on `region_code` (its own and its parents', the national default included), widest
    prefix first, each prefix's rows by date."""
    prefix, effective_from = _keys(table)
    stmt = select(table).where(prefix.in_(prefixes_of(region_code))).order_by(prefix, effective_from)
    return (await session.execute(stmt)).scalars().all()


async def add(session: AsyncSession, row: R, already: Callable[[], Exception]) -> R:
    """Store a new row; a prefix that already has a row from that date raises `already()` (figures are kept)."""
    try:
        async with session.begin_nested():
            session.add(row)
    except IntegrityError:
        raise already() from None
    return row


@dataclass(frozen=True)
class LocalFigures(Generic[R, F]):
    """A service's table of local figures, read the one way: `table` holds the rows, `read` turns a row into the
    service's figures, `national` stands in when no row bears on a region, `exists` words the refusal of a second
    row for the same prefix and date."""

    table: type[R]
    read: Callable[[R], F]
    national: F
    exists: Callable[[R], Exception]

    async def in_force(self, session: AsyncSession, region_code: str, day: dt.date) -> R | None:
        return await in_force(session, self.table, region_code, day)

    async def bearing_on(self, session: AsyncSession, region_code: str) -> Sequence[R]:
        return await bearing_on(session, self.table, region_code)

    async def add(self, session: AsyncSession, row: R) -> R:
        return await add(session, row, lambda: self.exists(row))

    async def figures_for(self, session: AsyncSession, region_code: str, day: dt.date) -> F:
        row = await self.in_force(session, region_code, day)
        # Each migration seeds the national row; the fallback covers only a table someone emptied by hand.
        return self.read(row) if row is not None else self.national
