"""The `calendar_years` table: one row per loaded year, in the schema of the service that keeps it."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy import Column, DateTime, Integer, MetaData, Table, Text
from sqlalchemy.dialects.postgresql import JSONB


def calendar_years_table(metadata: MetaData) -> Table:
    return Table(
        "calendar_years",
        metadata,
        Column("year", Integer, primary_key=True),
        Column("schedule", JSONB, nullable=False),
        Column("loaded_at", DateTime(timezone=True), nullable=False),
        Column("loaded_by", Text, nullable=False),
    )


def create_calendar_years(schema: str) -> None:
    """The migration step that creates the table in `schema`, the same in every service that keeps a calendar."""
    op.create_table(
        "calendar_years",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("schedule", JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("loaded_by", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_calendar_years")),
        schema=schema,
    )
