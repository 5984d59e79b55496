"""The migrations build exactly the models of intake (applications, leads, warnings, recipients, the register)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from services.intake.db import SCHEMA, Base
from services.intake.definition import DEFINITION
from tests.intake.support import IntakeApi
from tests.support.schema_drift import schema_drift


async def test_the_migrations_match_the_models(engine: AsyncEngine, api: IntakeApi) -> None:
    # `api` has started intake once, which migrated its schema.
    assert DEFINITION.metadata is Base.metadata

    assert await schema_drift(engine, SCHEMA, Base.metadata) == []
