"""The gateway's own PostgreSQL schema: principals, login failures and the access audit."""

from __future__ import annotations

from sqlalchemy.orm import DeclarativeBase

from libs.kernel.db import schema_metadata

SCHEMA = "gateway"


class Base(DeclarativeBase):
    metadata = schema_metadata(SCHEMA)
