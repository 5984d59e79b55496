"""The province's feed: the registry records every change of a household as a sealed version (registry/service.py);
the province turns the versions it has not queued yet into changes to push, oldest first.

The registry does not call the province: the push job reads the registry's change rows before each push.
"""

from __future__ import annotations

import json

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.casework.context import SNAPSHOT_CONTEXT, Casework
from services.casework.province.models import ProvinceChange
from services.casework.province.service import enqueue
from services.casework.registry.models import HouseholdVersion
from services.casework.registry.state import HouseholdState

# Versions queued per run of the job; a backlog goes out over the next runs.
FEED_BATCH = 1000


async def queue_new_versions(session: AsyncSession, ctx: Casework) -> int:
    """Queue each household version recorded after the highest one already queued for its household; returns how
    many. Versions are taken in the order they were recorded, so the push keeps each household's order."""
    queued = (
        select(func.coalesce(func.max(ProvinceChange.household_version), 0))
        .where(ProvinceChange.household_id == HouseholdVersion.household_id)
        .scalar_subquery()
    )
    stmt = (
        select(HouseholdVersion)
        .where(HouseholdVersion.version > queued)
        .order_by(HouseholdVersion.recorded_at, HouseholdVersion.household_id, HouseholdVersion.version)
        .limit(FEED_BATCH)
    )
    versions = (await session.scalars(stmt)).all()
    for v in versions:
        state = HouseholdState.from_json(json.loads(ctx.open(v.snapshot_sealed, SNAPSHOT_CONTEXT)))
        await enqueue(session, ctx, state, version=v.version)
    return len(versions)
