"""The migration builds exactly the models of complaints (ledger, hotline, policy, push)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from services.complaints.db import SCHEMA, Base
from services.complaints.definition import DEFINITION
from tests.complaints.support import ComplaintsApi
from tests.support.schema_drift import schema_drift


async def test_the_migration_matches_the_models(engine: AsyncEngine, api: ComplaintsApi) -> None:
    # `api` has started complaints once, which migrated its schema.
    assert DEFINITION.metadata is Base.metadata

    assert await schema_drift(engine, SCHEMA, Base.metadata) == []
