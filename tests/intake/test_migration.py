"""The migrations build exactly the models of intake (applications, leads, warnings, recipients, the register)."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from services.intake.db import SCHEMA, Base
from services.intake.definition import DEFINITION
from tests.intake.support import IntakeApi


async def test_the_migrations_match_the_models(engine: AsyncEngine, api: IntakeApi) -> None:
    # `api` has started intake once, which migrated its schema.
    assert DEFINITION.metadata is Base.metadata

    def diff(conn: Connection) -> list[Any]:
        context = MigrationContext.configure(
            conn,
            opts={
                "include_schemas": True,
                "include_name": lambda name, type_, _: type_ != "schema" or name == SCHEMA,
                "include_object": lambda obj, name, type_, *_: not (type_ == "table" and name == "alembic_version"),
            },
        )
        # The platform tables predate the naming convention; their names are the first migration's.
        return [d for d in compare_metadata(context, Base.metadata) if "outbox" not in str(d) and "probe" not in str(d)]

    async with engine.connect() as conn:
        assert await conn.run_sync(diff) == []
