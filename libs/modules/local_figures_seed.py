"""The national rows a migration seeds in a service's table of local figures (`libs.modules.local_figures`): every
region starts from them until it sets its own.

Called from migrations, which must stay frozen: a later change is a new revision, not an edit here."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy import ColumnClause, Table, TableClause


def figures_table(name: str, *figures: ColumnClause[Any], schema: str) -> TableClause:
    """Enough of a table of local figures to insert into: the region prefix and first day in force, `figures`, and
    who created the row when."""
    return sa.table(
        name,
        sa.column("region_prefix", sa.Text()),
        sa.column("effective_from", sa.Date()),
        *figures,
        sa.column("created_by", sa.Text()),
        sa.column("created_at", sa.DateTime(timezone=True)),
        schema=schema,
    )


def seed_national(
    table: Table | TableClause, rows: Iterable[Mapping[str, object]], seeded_at: datetime.datetime
) -> None:
    """Each of `rows` (one row's figures) as a national row of `table`: the empty region prefix, in force since
    2000-01-01, created by the migration at `seeded_at`."""
    op.bulk_insert(
        table,
        [
            {
                "region_prefix": "",
                "effective_from": datetime.date(2000, 1, 1),
                **row,
                "created_by": "migration",
                "created_at": seeded_at,
            }
            for row in rows
        ],
    )
