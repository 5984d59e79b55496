"""The gateway's own PostgreSQL schema: principals, login failures and the access audit."""

from __future__ import annotations

from sqlalchemy.orm import DeclarativeBase

from libs.kernel.column_types import AnnotatedColumns
from libs.kernel.db import schema_metadata

SCHEMA = "gateway"


class Base(AnnotatedColumns, DeclarativeBase):
    metadata = schema_metadata(SCHEMA)
