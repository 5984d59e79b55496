"""The province's feed: the registry records every change of a household as a sealed version (registry/service.py);
the province turns the versions it has not taken yet (`queued_at` NULL, a partial index of their own) into changes to
push, oldest first, and marks them taken in the same transaction.

The registry does not call the province: the push job reads the registry's change rows before each push.
"""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.casework.context import SNAPSHOT_CONTEXT, Casework
from services.casework.province.service import enqueue
from services.casework.registry.models import HouseholdVersion
from services.casework.registry.state import HouseholdState

# Versions queued per run of the job; a backlog goes out over the next runs.
FEED_BATCH = 1000


async def queue_new_versions(session: AsyncSession, ctx: Casework) -> int:
    """Queue the household versions not taken yet, in the order they were recorded (so the push keeps each
    household's order), and mark them taken; returns how many. Only the job's one runner calls this."""
    stmt = (
        select(HouseholdVersion)
        .where(HouseholdVersion.queued_at.is_(None))
        .order_by(HouseholdVersion.recorded_at, HouseholdVersion.household_id, HouseholdVersion.version)
        .limit(FEED_BATCH)
    )
    versions = (await session.scalars(stmt)).all()
    now = ctx.now()
    for v in versions:
        state = HouseholdState.from_json(json.loads(ctx.open(v.snapshot_sealed, SNAPSHOT_CONTEXT)))
        await enqueue(session, ctx, state, version=v.version)
        v.queued_at = now
    return len(versions)
