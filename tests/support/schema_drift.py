"""What a migrated schema lacks or has beyond its models: every service's (and the gateway's) migration test asks
the same question of its own schema."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, MetaData
from sqlalchemy.ext.asyncio import AsyncEngine

Include = Callable[..., bool]


def _not_alembic(obj: Any, name: str | None, type_: str, *_: Any) -> bool:
    return not (type_ == "table" and name == "alembic_version")


async def schema_drift(
    engine: AsyncEngine, schema: str, metadata: MetaData, *, include: Include = _not_alembic, platform: bool = True
) -> list[Any]:
    """The differences between `schema` as migrated and `metadata`; empty when the migrations build the models.
    `platform`: leave out the outbox and probe tables, which predate the naming convention (their names are the
    first migration's)."""

    def diff(conn: Connection) -> list[Any]:
        context = MigrationContext.configure(
            conn,
            opts={
                "include_schemas": True,
                "include_name": lambda name, type_, _: type_ != "schema" or name == schema,
                "include_object": include,
            },
        )
        found = compare_metadata(context, metadata)
        return [d for d in found if not platform or ("outbox" not in str(d) and "probe" not in str(d))]

    async with engine.connect() as conn:
        return await conn.run_sync(diff)
