"""Scheduled work in the worker role: a job runs every so often, in one transaction, on one replica at a time.

Each run takes a transaction-scoped advisory lock named after the service and the job, so however many workers are
scaled out, one run is in progress at a time; a replica that finds the lock taken skips that tick. A job decides for
itself what is due (a review calendar, a matching schedule), so a skipped or repeated tick does no harm.

A job whose work is written by someone else (a feed loaded by the API) can be woken by them: the writer NOTIFYs the
job's channel in its transaction (`listening.notify_at_commit`) and the job runs at the commit; `every` is then only
the look for work no notification announced (one sent while the listener was reconnecting, a retry that came due), so
an idle worker does not open a transaction every second to find nothing (issue 23, "idle means idle").
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from libs.kernel.db import Database, try_advisory_xact_lock
from libs.kernel.listening import listen, wait_any
from libs.kernel.metrics import JOB_RUNS

_log = structlog.get_logger("jobs")


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every: timedelta
    run: Callable[[AsyncSession], Awaitable[None]]
    # The NOTIFY channel whose notification runs the job at once (its writers call `listening.notify_at_commit`);
    # None: every `every` only.
    woken_by: str | None = None
    # The least time from one run's start to the next, however often it is woken: a busy writer wakes it constantly,
    # and a run takes what has come since the last one.
    spacing: timedelta = timedelta(0)


class JobRunner:
    def __init__(self, db: Database, job: PeriodicJob, service: str) -> None:
        self.db = db
        self.job = job
        self.service = service
        self._lock_name = f"job:{service}:{job.name}"

    async def tick(self) -> bool:
        """Run the job once if no other replica is running it; returns whether it ran."""
        async with self.db.sessions.begin() as session:
            if not await try_advisory_xact_lock(session, self._lock_name):
                JOB_RUNS.labels(self.service, self.job.name, "skipped").inc()
                return False
            with structlog.contextvars.bound_contextvars(job=self.job.name):
                await self.job.run(session)
        JOB_RUNS.labels(self.service, self.job.name, "done").inc()
        return True

    async def run(self, stop: asyncio.Event) -> None:
        period = self.job.every.total_seconds()
        woken = asyncio.Event()
        listener = None
        if self.job.woken_by is not None:
            # After every (re)connect the job runs once: a notification sent while nobody listened is gone.
            channel = self.job.woken_by
            listener = asyncio.create_task(listen(self.db.settings, channel, lambda _: woken.set(), woken.set, stop))
        try:
            while not stop.is_set():
                started = time.monotonic()
                woken.clear()  # before the run: a notification during it brings the next run at once
                try:
                    await self.tick()
                except Exception:
                    # A failed run is retried at the next tick; its transaction rolled back, so nothing half-done
                    # remains.
                    JOB_RUNS.labels(self.service, self.job.name, "failed").inc()
                    _log.exception("job.failed", job=self.job.name)
                spacing = self.job.spacing.total_seconds() - (time.monotonic() - started)
                if spacing > 0:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(stop.wait(), spacing)
                await wait_any(woken, stop, max(0.0, period - (time.monotonic() - started)))
        finally:
            if listener is not None:
                listener.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await listener
