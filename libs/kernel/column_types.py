"""How the annotation of a mapped attribute becomes a PostgreSQL column type: one choice for every service.

A model then says only what differs. `county_code: Mapped[str]` is a NOT NULL text column and `Mapped[str | None]` a
nullable one; a column of another type than these (`Integer`, `String(64)`, a foreign key) names its type.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any, ClassVar

from sqlalchemy import BigInteger, Boolean, Date, DateTime, LargeBinary, Text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID
from sqlalchemy.orm import mapped_column
from sqlalchemy.types import TypeEngine

COLUMN_TYPES: dict[Any, TypeEngine[Any]] = {
    str: Text(),
    # Money in fen and row ids: a county's yearly total in fen outgrows 32 bits.
    int: BigInteger(),
    bool: Boolean(),
    bytes: LargeBinary(),
    # Every instant is stored with its zone; a naive one is refused by asyncpg rather than guessed.
    dt.datetime: DateTime(timezone=True),
    dt.date: Date(),
    uuid.UUID: UUID(as_uuid=True),
    list[str]: ARRAY(Text()),
    dict[str, Any]: JSONB(),
}

# The two kinds of primary key the services use: an id the service makes (a ULID, a partner's number), and a row
# number the database counts.
TextKey = Annotated[str, mapped_column(primary_key=True)]
SerialKey = Annotated[int, mapped_column(primary_key=True, autoincrement=True)]


class AnnotatedColumns:
    """Mixed into each service's declarative base (`class Base(AnnotatedColumns, DeclarativeBase)`): its models take
    their column types from COLUMN_TYPES."""

    type_annotation_map: ClassVar[dict[Any, TypeEngine[Any]]] = COLUMN_TYPES
