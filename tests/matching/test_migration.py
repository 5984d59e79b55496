"""The migration builds exactly the models, and seeds the shipped rules and schedules."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from services.matching.db import SCHEMA, Base
from services.matching.definition import DEFINITION
from services.matching.rules.defaults import DEFAULT_RULES, DEFAULT_SCHEDULES
from services.matching.rules.models import Rule, row_values
from services.matching.rules.spec import RuleSpec
from services.matching.schedules.models import SourceSchedule
from services.matching.sources import SOURCES
from tests.matching.support import MatchingApi
from tests.support.schema_drift import schema_drift

# Partitions of `records` are created per feed at run time; they are not part of the schema's definition.
_PARTITION = re.compile(r"^records_f\d+(_person)?$")


async def test_the_migration_matches_the_models(engine: AsyncEngine, api: MatchingApi) -> None:
    assert DEFINITION.metadata is Base.metadata

    def include(obj: Any, name: str | None, type_: str, *_: Any) -> bool:
        if type_ == "table" and name == "alembic_version":
            return False
        table = getattr(obj, "table", None)
        owner = table.name if table is not None else name
        return not _PARTITION.match(owner or "")

    assert await schema_drift(engine, SCHEMA, Base.metadata, include=include) == []


async def test_the_shipped_rules_and_schedules_are_seeded(api: MatchingApi) -> None:
    async with api.db.sessions() as session:
        ids = set((await session.scalars(select(Rule.id))).all())
        schedules = {s.source: s.frequency for s in await session.scalars(select(SourceSchedule))}
        seeded = {r.id: r for r in await session.scalars(select(Rule).where(Rule.updated_by == "migration"))}
        assert (await session.scalar(select(func.count()).select_from(Rule)) or 0) >= len(DEFAULT_RULES)
    shipped = {rule["id"]: RuleSpec.model_validate(rule) for rule in DEFAULT_RULES}
    assert set(shipped) <= ids
    # A rule not changed since the migration is exactly the shipped one.
    for rule_id, row in seeded.items():
        assert row_values(row.spec()) == row_values(shipped[rule_id])
    assert set(schedules) == set(SOURCES)
    assert schedules["death"] == "monthly"
    assert schedules["prison"] == "quarterly"
    assert schedules["public_payroll"] == "half_yearly"


async def test_the_seeded_rows_are_the_catalogue_column_for_column(api: MatchingApi) -> None:
    """The migration loads rules/defaults.py: every shipped rule not changed since holds exactly its catalogue row."""
    async with api.db.sessions() as session:
        rows = {r.id: r for r in await session.scalars(select(Rule).where(Rule.updated_by == "migration"))}
        frequencies = {s.source: s.frequency for s in await session.scalars(select(SourceSchedule))}
    for rule_id, row in rows.items():
        (shipped,) = [rule for rule in DEFAULT_RULES if rule["id"] == rule_id]
        assert {column: getattr(row, column) for column in shipped} == shipped
    for schedule in DEFAULT_SCHEDULES:
        assert frequencies[schedule["source"]] == schedule["frequency"]
