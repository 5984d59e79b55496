"""Feeds whose upload broke without anyone to say so: the loader's process died mid-body (a crash, a kill -9; its
loader lock is free), or an upload's body never came. Swept when matching's API starts and on every run of the
worker's feed job (at the latest every `feed_poll_seconds`), so such a feed is failed, and its partial rows dropped,
within seconds rather than left `received`."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import structlog
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from libs.kernel.service import Runtime
from services.matching.context import Matching
from services.matching.feeds.loader_lock import loader_gone
from services.matching.feeds.models import Feed, FeedFailure, FeedStatus
from services.matching.feeds.partitions import drop_partition
from services.matching.metrics import FEEDS_FAILED

_log = structlog.get_logger("matching.feeds")


async def give_up(session: AsyncSession, ctx: Matching, feed: Feed, failure: FeedFailure, reason: str) -> None:
    # A failed feed keeps its row (and why) but not its records: the provider sends it again.
    await drop_partition(session, feed.feed_no)
    feed.status = FeedStatus.FAILED.value
    feed.failure = failure.value
    feed.finished_at = ctx.now()
    feed.error = f"{reason} ({feed.error})" if feed.error else reason
    if feed.loaded_at is None:
        # Never loaded: its idempotency key is free for the provider's next try.
        feed.idempotency_key = None
        feed.rows_loaded = 0
    feed.awaiting_body = False
    FEEDS_FAILED.labels(feed.source, failure.value).inc()
    _log.warning("feed.failed", feed_id=feed.id, source=feed.source, failure=failure.value, reason=reason)


async def sweep_broken_uploads(ctx: Matching) -> int:
    """Uploads whose loader is gone (its process was killed mid-body: the loader lock is free) are failed and their
    partial rows dropped; so are uploads whose body never came. Returns how many."""
    expired = ctx.now() - dt.timedelta(minutes=ctx.settings.feed_upload_expiry_minutes)
    swept = 0
    async with ctx.sessions.begin() as session:
        loading = (
            await session.scalars(
                select(Feed)
                .where(Feed.status == FeedStatus.RECEIVED.value, Feed.loaded_at.is_(None))
                .order_by(Feed.feed_no)
                .limit(100)
                .with_for_update(skip_locked=True)
            )
        ).all()
        for feed in loading:
            if feed.awaiting_body:
                if feed.received_at < expired:
                    await give_up(session, ctx, feed, FeedFailure.UPLOAD_EXPIRED, "the body of the upload never came")
                    swept += 1
            elif await loader_gone(session, feed.feed_no):
                await give_up(
                    session, ctx, feed, FeedFailure.LOADER_DIED, "the process loading the body stopped before its end"
                )
                swept += 1
    return swept


@asynccontextmanager
async def sweep_on_start(app: FastAPI) -> AsyncIterator[None]:
    """A lifespan for the feeds' router: what a process killed mid-upload left behind is failed as this one starts."""
    try:
        runtime: Runtime = app.state.runtime
        ctx = runtime.context_as(Matching)
        swept = await sweep_broken_uploads(ctx)
        if swept:
            _log.warning("feed.swept_on_start", feeds=swept)
    except Exception:
        # The worker's sweep catches up; a database still starting must not keep the API from starting.
        _log.exception("feed.sweep_on_start_failed")
    yield
