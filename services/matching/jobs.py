"""Matching's scheduled work in the worker: loaded feeds are matched, and each source's schedule kept."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from libs.kernel.jobs import PeriodicJob
from libs.kernel.service import Runtime
from services.matching.context import Matching
from services.matching.feeds.loading import FEEDS_LOADED
from services.matching.feeds.sweep import sweep_broken_uploads
from services.matching.runs.processing import process_next_feed, run_schedules


def jobs(runtime: Runtime) -> Sequence[PeriodicJob]:
    ctx = runtime.context_as(Matching)

    async def feeds(session: AsyncSession) -> None:
        await sweep_broken_uploads(ctx)
        await process_next_feed(session, ctx)

    async def schedules(session: AsyncSession) -> None:
        await run_schedules(session, ctx)

    return (
        # Woken by a loaded feed; every `feed_poll_seconds` besides, for the sweep and a missed notification.
        PeriodicJob("feeds", timedelta(seconds=ctx.settings.feed_poll_seconds), feeds, woken_by=FEEDS_LOADED),
        PeriodicJob("schedules", timedelta(seconds=ctx.settings.schedule_interval_seconds), schedules),
    )
