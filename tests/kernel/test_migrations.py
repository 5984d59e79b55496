"""Per-service Alembic: each schema carries its own history and the platform tables; upgrading again changes nothing."""

from __future__ import annotations

import asyncio

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import column, select, table, text
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.sql.expression import TableClause

from libs.devstack.stack import DevStack
from libs.kernel.cli import migrate
from libs.kernel.migrations import alembic_config
from libs.kernel.service import ServiceDefinition
from tests.support.stack import SERVICES

PLATFORM_TABLES = {"outbox", "inbox", "dead_letters", "probe_receipts", "alembic_version"}


def head_of(definition: ServiceDefinition) -> str | None:
    cfg = alembic_config(definition.name, definition.migrations_dir, definition.metadata, definition.settings())
    return ScriptDirectory.from_config(cfg).get_current_head()


_RELATIONS = text(
    "SELECT c.relname, c.oid::bigint FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE n.nspname = :s AND c.relkind IN ('r', 'p', 'i', 'S') ORDER BY 1"
)
_COLUMNS = text(
    "SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns "
    "WHERE table_schema = :s ORDER BY 1, 2"
)


def _version_table(schema: str) -> TableClause:
    return table("alembic_version", column("version_num"), schema=schema)


async def schema_state(engine: AsyncEngine, schema: str) -> dict[str, object]:
    """What an upgrade could change: relations by oid (a drop and re-create shows), columns, the version rows."""
    async with engine.connect() as conn:
        relations = [tuple(r) for r in (await conn.execute(_RELATIONS, {"s": schema})).all()]
        columns = [tuple(r) for r in (await conn.execute(_COLUMNS, {"s": schema})).all()]
        versions = (await conn.execute(select(_version_table(schema).c.version_num))).scalars().all()
    return {"relations": relations, "columns": columns, "versions": sorted(versions)}


@pytest.mark.parametrize("service", sorted(SERVICES))
async def test_every_service_schema_has_the_platform_tables_and_its_own_version(
    engine: AsyncEngine, service: str
) -> None:
    async with engine.connect() as conn:
        tables = set(
            (
                await conn.execute(
                    text("SELECT table_name FROM information_schema.tables WHERE table_schema = :s"), {"s": service}
                )
            ).scalars()
        )
        versions = (await conn.execute(select(_version_table(service).c.version_num))).scalars().all()

    assert tables >= PLATFORM_TABLES
    assert versions == [head_of(SERVICES[service])]


async def test_no_service_keeps_its_history_in_the_public_schema(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        homes = set(
            (
                await conn.execute(
                    text("SELECT table_schema FROM information_schema.tables WHERE table_name = 'alembic_version'")
                )
            ).scalars()
        )
    assert homes >= set(SERVICES)
    assert "public" not in homes


@pytest.mark.parametrize("service", ["intake", "casework"])
async def test_upgrading_an_upgraded_schema_twice_changes_nothing(
    stack: DevStack, engine: AsyncEngine, service: str
) -> None:
    definition = SERVICES[service]
    before = await schema_state(engine, service)

    # `migrate` runs its own event loop (as the migrate job does), so it runs off this test's loop.
    for _ in range(2):
        await asyncio.to_thread(migrate, definition, definition.settings())

    assert await schema_state(engine, service) == before
