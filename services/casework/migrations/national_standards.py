"""National rows of the standards table, one per name, as revisions seed them:
casework_0002 the national figures, casework_0012 the review rules.

Frozen with those revisions: a later change to the standards table is a new revision, never an edit here."""

import datetime
from collections.abc import Mapping

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from libs.modules.local_figures_seed import figures_table, seed_national


def seed_national_standards(figures: Mapping[str, object], seeded_at: datetime.datetime) -> None:
    """One national row per name in `figures`, with its value, created by the migration at `seeded_at`."""
    standards = figures_table(
        "standards", sa.column("name", sa.Text()), sa.column("value", postgresql.JSONB()), schema="casework"
    )
    seed_national(standards, [{"name": name, "value": value} for name, value in figures.items()], seeded_at)
