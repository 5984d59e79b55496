"""Pruning the messaging tables: sent outbox rows and inbox rows past the retention (`messaging_retention_days`).

The retention is the replay window. `replay --since T` re-publishes the outbox rows created at or after T, and
consumers drop the ones they handled by their inbox rows; both must still be there, so the command refuses a T older
than the retention (`replay_window_start`). An inbox row is received after its event was created, so keeping inbox
rows received within the window keeps every claim a replay within it could meet.

Deleted in batches of `prune_batch_size`, one short transaction each (never a long lock on a busy table), taking
turns across worker replicas with an advisory lock per batch. Unsent outbox rows are never deleted, however old, and
neither is the inbox claim of an unresolved dead letter (a re-drive deletes it with the letter).
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import structlog
from sqlalchemy import and_, delete, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from libs.kernel.db import Database, try_advisory_xact_lock
from libs.kernel.messaging_tables import MessagingTables
from libs.kernel.metrics import JOB_RUNS
from libs.kernel.settings import BaseServiceSettings

_log = structlog.get_logger("pruning")
# A batch loop ends after this many batches and goes on at the next run, so one run never holds a worker for long.
MAX_BATCHES_PER_RUN = 200


def replay_window_start(settings: BaseServiceSettings, now: datetime | None = None) -> datetime:
    """The oldest `--since` a replay can honour: what is older may be pruned already."""
    return (now or datetime.now(UTC)) - timedelta(days=settings.messaging_retention_days)


@dataclass(frozen=True)
class Pruned:
    outbox: int
    inbox: int


class MessagingPruner:
    def __init__(self, db: Database, tables: MessagingTables, settings: BaseServiceSettings) -> None:
        self.db = db
        self.tables = tables
        self.settings = settings
        self._lock_name = f"prune:{tables.outbox.schema}"

    async def _outbox_batch(self, session: AsyncSession, cutoff: datetime) -> int:
        t = self.tables.outbox
        # By created_at, as replay selects: ix_outbox_created_at finds them.
        doomed = (
            select(t.c.id)
            .where(t.c.created_at < cutoff, t.c.sent_at.is_not(None))
            .order_by(t.c.created_at)
            .limit(self.settings.prune_batch_size)
            .scalar_subquery()
        )
        result = await session.execute(delete(t).where(t.c.id.in_(doomed)).returning(t.c.id))
        return len(result.all())

    async def _inbox_batch(self, session: AsyncSession, cutoff: datetime) -> int:
        inbox, dead = self.tables.inbox, self.tables.dead_letters
        parked = exists().where(
            and_(dead.c.event_id == inbox.c.event_id, dead.c.consumer == inbox.c.consumer, dead.c.resolved_at.is_(None))
        )
        doomed = (
            select(inbox.c.event_id, inbox.c.consumer)
            .where(inbox.c.received_at < cutoff, ~parked)
            .order_by(inbox.c.received_at)
            .limit(self.settings.prune_batch_size)
            .subquery()
        )
        result = await session.execute(
            delete(inbox)
            .where(and_(inbox.c.event_id == doomed.c.event_id, inbox.c.consumer == doomed.c.consumer))
            .returning(inbox.c.event_id)
        )
        return len(result.all())

    async def prune(self, now: datetime | None = None) -> Pruned:
        """Delete what is past the retention, batch by batch; returns how many rows of each table went."""
        cutoff = replay_window_start(self.settings, now)
        totals = {"outbox": 0, "inbox": 0}
        batches = {"outbox": self._outbox_batch, "inbox": self._inbox_batch}
        for name, batch in batches.items():
            for _ in range(MAX_BATCHES_PER_RUN):
                async with self.db.sessions.begin() as session:
                    if not await try_advisory_xact_lock(session, self._lock_name):
                        return Pruned(**totals)  # another replica is pruning: it will finish the job
                    deleted = await batch(session, cutoff)
                totals[name] += deleted
                if deleted < self.settings.prune_batch_size:
                    break
        if totals["outbox"] or totals["inbox"]:
            _log.info("messaging.pruned", cutoff=cutoff.isoformat(), **totals)
        return Pruned(**totals)

    async def run(self, stop: asyncio.Event) -> None:
        service = self.settings.service_name
        while not stop.is_set():
            try:
                await self.prune()
                JOB_RUNS.labels(service, "messaging-pruning", "done").inc()
            except Exception:
                # Nothing half-done remains (each batch is its own transaction); the next run goes on from there.
                JOB_RUNS.labels(service, "messaging-pruning", "failed").inc()
                _log.exception("messaging.prune_failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self.settings.prune_interval_seconds)
