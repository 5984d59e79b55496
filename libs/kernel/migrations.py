"""Alembic, run per service: one shared env (this package's `alembic/`), each service's own `versions/`.

Every service's history lives in its own schema, with its own `alembic_version` table there, so services migrate
independently (one migrate job per service in production).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from alembic import command, op
from alembic.config import Config
from sqlalchemy import Column, Connection, MetaData, Table, TextClause, text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.types import TypeEngine

from libs.kernel.connections import database_connect_args
from libs.kernel.document_archive import DocumentTables
from libs.kernel.messaging_tables import MessagingTables
from libs.kernel.settings import BaseServiceSettings

_ENV_DIR = Path(__file__).parent / "alembic"


def alembic_config(schema: str, versions_dir: Path, metadata: MetaData, settings: BaseServiceSettings) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(_ENV_DIR))
    cfg.set_main_option("version_locations", str(versions_dir))
    cfg.set_main_option("path_separator", "os")
    cfg.attributes.update({"schema": schema, "metadata": metadata, "settings": settings})
    return cfg


def upgrade(
    schema: str, versions_dir: Path, metadata: MetaData, settings: BaseServiceSettings, revision: str = "head"
) -> None:
    command.upgrade(alembic_config(schema, versions_dir, metadata, settings), revision)


def run_env(context: Any) -> None:
    """Body of the shared env.py: online migrations through asyncpg, confined to the service's schema."""
    cfg = context.config
    schema: str = cfg.attributes["schema"]
    metadata: MetaData = cfg.attributes["metadata"]
    settings: BaseServiceSettings = cfg.attributes["settings"]

    def migrate(connection: Connection) -> None:
        connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
        context.configure(
            connection=connection,
            target_metadata=metadata,
            version_table_schema=schema,
            include_schemas=True,
            include_name=lambda name, type_, parent: type_ != "schema" or name == schema,
        )
        with context.begin_transaction():
            context.run_migrations()

    async def main() -> None:
        engine = create_async_engine(
            settings.async_database_url, hide_parameters=True, connect_args=database_connect_args(settings)
        )
        try:
            async with engine.begin() as conn:
                # Two migrate jobs of one service must not race: serialise on an advisory lock.
                await conn.execute(text("SELECT pg_advisory_xact_lock(hashtext(:s))"), {"s": f"migrate:{schema}"})
                await conn.run_sync(migrate)
        finally:
            await engine.dispose()

    asyncio.run(main())


Revision = tuple[Callable[[], None], Callable[[], None]]


def tables_revision(schema: str, tables: Callable[[MetaData], Sequence[Table]]) -> Revision:
    """`upgrade` and `downgrade` of a revision that adds `tables` (as made on the schema's metadata): created in their
    order, dropped in the reverse one."""

    def upgrade() -> None:
        for table in tables(MetaData(schema=schema)):
            table.create(op.get_bind(), checkfirst=True)

    def downgrade() -> None:
        for table in reversed(tables(MetaData(schema=schema))):
            table.drop(op.get_bind(), checkfirst=True)

    return upgrade, downgrade


def _messaging_tables_v1(metadata: MetaData) -> Sequence[Table]:
    tables = MessagingTables(metadata)
    return (tables.outbox, tables.inbox, tables.dead_letters, tables.probe_receipts)


def messaging_revision_v1(schema: str) -> Revision:
    """Every service's revision 0001: outbox, inbox, dead letters and probe receipts as they stood at v1.

    Called from migrations, which must stay frozen: a later change to these tables is a new revision, not an edit here.
    """
    return tables_revision(schema, _messaging_tables_v1)


def training_clock_revision(schema: str) -> Revision:
    """Every service's revision that adds the training clock's table (issue 21)."""
    return tables_revision(schema, lambda metadata: (MessagingTables(metadata).training_clock,))


def region_names_revision(schema: str) -> Revision:
    """Every service's revision that adds the region names' table (issue 22)."""
    return tables_revision(schema, lambda metadata: (MessagingTables(metadata).region_names,))


def documents_revision(schema: str) -> Revision:
    """A service's revision that adds the printed documents' tables (issue 22): their numbering, then the documents."""
    return tables_revision(schema, _document_tables)


def _document_tables(metadata: MetaData) -> Sequence[Table]:
    tables = DocumentTables(metadata)
    return (tables.numbers, tables.documents)


def inbox_pruning_revision(schema: str) -> Revision:
    """`upgrade` and `downgrade` of every service's revision that indexes the inbox for pruning (issue 23)."""

    def upgrade() -> None:
        op.create_index("ix_inbox_received_at", "inbox", ["received_at"], schema=schema, if_not_exists=True)

    def downgrade() -> None:
        op.drop_index("ix_inbox_received_at", table_name="inbox", schema=schema, if_exists=True)

    return upgrade, downgrade


def index_revision(
    schema: str, table: str, name: str, columns: list[str], *, where: str | None = None
) -> tuple[Callable[[], None], Callable[[], None]]:
    """`upgrade` and `downgrade` of a revision that adds one index `name` on `table`'s `columns`, partial if `where`
    is given (only the rows it holds for are indexed)."""

    def upgrade() -> None:
        op.create_index(name, table, columns, schema=schema, postgresql_where=where)

    def downgrade() -> None:
        op.drop_index(name, table_name=table, schema=schema, postgresql_where=where)

    return upgrade, downgrade


def add_column_filled(
    table: str, name: str, type_: TypeEngine[Any], existing: str | TextClause, *, schema: str
) -> None:
    """Add the NOT NULL column `name` to `table`, its rows so far given `existing`: a server default for the addition
    only, dropped after it, since new rows always name their own value (the model sets it)."""
    op.add_column(table, Column(name, type_, nullable=False, server_default=existing), schema=schema)
    op.alter_column(table, name, server_default=None, schema=schema)


def replace_index(
    name: str, table: str, columns: list[str], *, schema: str, unique: bool = False, **dialect_options: Any
) -> None:
    """Drop the index `name` on `table` and create it again as given: other columns, uniqueness or dialect options
    (a partial index's `postgresql_where`, an operator class in `postgresql_ops`)."""
    op.drop_index(name, table_name=table, schema=schema)
    op.create_index(name, table, columns, unique=unique, schema=schema, **dialect_options)
