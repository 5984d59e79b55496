"""The national rows a migration seeds in a service's table of local figures (`libs.modules.local_figures`): every
region starts from them until it sets its own.

Called from migrations, which must stay frozen: a later change is a new revision, not an edit here."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping

from alembic import op
from sqlalchemy import Table, TableClause


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
