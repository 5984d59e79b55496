from collections.abc import Mapping
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase

from libs.kernel.column_types import AnnotatedColumns
from libs.kernel.db import schema_metadata
from libs.kernel.document_archive import DocumentTables
from libs.kernel.messaging_tables import MessagingTables
from libs.modules.work_calendar import calendar_years_table

SCHEMA = "casework"


class Base(AnnotatedColumns, DeclarativeBase):
    metadata = schema_metadata(SCHEMA)


tables = MessagingTables(Base.metadata)
calendar_years = calendar_years_table(Base.metadata)
# The printed documents kept with their cases (issue 22, libs.kernel.document_archive).
documents = DocumentTables(Base.metadata)


RowT = TypeVar("RowT", bound=Base)


async def insert_or_existing(
    session: AsyncSession,
    model: type[RowT],
    values: Mapping[str, Any],
    *,
    constraint: str,
    found_by: tuple[ColumnElement[bool], ...],
) -> RowT:
    """The row `values` make, inserted now; or, where `constraint` already holds one (a repeat of the request, or a
    race with it), that one as it is, found by `found_by`."""
    await session.execute(pg_insert(model).values(**values).on_conflict_do_nothing(constraint=constraint))
    return (await session.scalars(select(model).where(*found_by))).one()
