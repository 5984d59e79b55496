"""The migration builds exactly the models."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from services.disbursement.db import SCHEMA, Base
from services.disbursement.definition import DEFINITION
from tests.disbursement.support import DisbursementApi
from tests.support.schema_drift import schema_drift


async def test_the_migration_matches_the_models(engine: AsyncEngine, api: DisbursementApi) -> None:
    assert DEFINITION.metadata is Base.metadata

    assert await schema_drift(engine, SCHEMA, Base.metadata) == []
