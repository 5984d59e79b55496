"""Loading a feed body into its partition while it streams in (CONTRACTS.md §5).

Blocks of whole lines are parsed and checked in a worker thread (Arrow and NumPy do the row work; identity numbers
are hashed there) while the previous block is already on its way into PostgreSQL through one COPY. At most a couple
of blocks are in memory at any time, whatever the feed's size. The COPY is one transaction: a feed is loaded whole
or not at all. Counts and rejects are written beside it, in their own short transactions, so the feed's status can
be read while it loads. A feed that is mostly rows that cannot be read stops early (`TooManyRejects`).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import AsyncIterator
from dataclasses import dataclass

import structlog
from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from libs.contracts.clock import business_date
from libs.kernel.db import driver_of
from libs.kernel.listening import notify_at_commit
from services.matching.config import MatchingSettings
from services.matching.context import Matching
from services.matching.feeds.body import Body
from services.matching.feeds.checking import BlockChecker, BlockJob, line_count
from services.matching.feeds.models import Feed, FeedFailure, FeedReject, FeedStatus, partition_name
from services.matching.feeds.partitions import drop_partition
from services.matching.feeds.repository import fresh
from services.matching.feeds.schemas import FeedOut
from services.matching.feeds.validation import CheckedBlock, copy_columns
from services.matching.feeds.views import feed_view
from services.matching.sources import SourceSpec

_log = structlog.get_logger("matching.feeds")
_REJECT_BATCH = 5000
# Said at the commit of a feed's load; the worker's feed job (services/matching/jobs.py) listens.
FEEDS_LOADED = "matching_feed_loaded"


@dataclass
class Progress:
    total: int = 0
    loaded: int = 0
    rejected: int = 0

    def columns(self) -> dict[str, int]:
        """The counts as the feed's row holds them."""
        return {"rows_total": self.total, "rows_loaded": self.loaded, "rows_rejected": self.rejected}


class TooManyRejects(Exception):
    """Most rows read so far could not be loaded: the rest of the body is not worth reading."""


def hopeless(progress: Progress, settings: MatchingSettings) -> bool:
    """More rejects than the floor, and more than the allowed share of the rows read."""
    return progress.rejected > settings.feed_reject_floor and progress.rejected > settings.feed_reject_ratio * max(
        progress.total, 1
    )


async def _record(ctx: Matching, feed_id: str, progress: Progress, rejects: list[tuple[int, str]]) -> None:
    async with ctx.sessions.begin() as session:
        for start in range(0, len(rejects), _REJECT_BATCH):
            batch = rejects[start : start + _REJECT_BATCH]
            await session.execute(
                insert(FeedReject)
                .values([{"feed_id": feed_id, "row": row, "reason": reason} for row, reason in batch])
                .on_conflict_do_nothing()
            )
        await session.execute(
            update(Feed).where(Feed.id == feed_id).values(**progress.columns(), progress_at=ctx.now())
        )


async def load(conn: AsyncConnection, ctx: Matching, feed: Feed, spec: SourceSpec, body: Body) -> Progress:
    """COPY the body into the feed's partition (created already) on the loader's connection; the final counts."""
    progress = Progress()
    today = business_date(ctx.now())
    queue: asyncio.Queue[bytes | None] = asyncio.Queue(maxsize=2)

    checker = BlockChecker(ctx.keys, ctx.settings.pii_key.get_secret_value(), ctx.settings.feed_check_processes)
    header = tuple(body.header)

    async def take(checked: CheckedBlock) -> None:
        progress.total += checked.lines
        progress.loaded += checked.loaded
        progress.rejected += len(checked.rejects)
        await _record(ctx, feed.id, progress, checked.rejects)
        if hopeless(progress, ctx.settings):
            raise TooManyRejects(f"{progress.rejected} of the first {progress.total} rows were rejected")
        if checked.copy_data:
            await queue.put(checked.copy_data)

    async def produce() -> None:
        # Up to `checker.depth` blocks are checked at once while the body streams in; they are taken back in the
        # order they came, so rows keep their numbers and progress, rejects and the COPY follow the body.
        checking: deque[asyncio.Future[CheckedBlock]] = deque()
        next_row = 1
        try:
            async for block in body.blocks:
                checking.append(checker.submit(BlockJob(block, body.fmt, header, spec.name, next_row, today)))
                next_row += line_count(block)
                if len(checking) >= checker.depth:
                    await take(await checking.popleft())
            while checking:
                await take(await checking.popleft())
        finally:
            for left in checking:
                left.cancel()
            await queue.put(None)

    async def copy_source() -> AsyncIterator[bytes]:
        while (data := await queue.get()) is not None:
            yield data

    driver = await driver_of(conn)
    producer = asyncio.create_task(produce())
    try:
        async with driver.transaction():
            await driver.copy_to_table(
                partition_name(feed.feed_no),
                schema_name="matching",
                columns=copy_columns(spec),
                source=copy_source(),
                format="csv",
            )
            await producer  # a failure while reading the body rolls the COPY back
    finally:
        if not producer.done():
            producer.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await producer
    return progress


async def finish(ctx: Matching, feed_id: str, progress: Progress, body_sha256: str) -> FeedOut:
    """The feed loaded, and the provider's answer: the feed as this load leaves it (`received`, CONTRACTS.md §5),
    read before the commit, since the worker's run may take it up the moment it commits."""
    async with ctx.sessions.begin() as session:
        await session.execute(
            update(Feed)
            .where(Feed.id == feed_id)
            .values(**progress.columns(), loaded_at=ctx.now(), body_sha256=body_sha256)
        )
        # The worker's feed job matches it as soon as this commits, not at its next look.
        await notify_at_commit(session, FEEDS_LOADED)
        return await feed_view(session, await fresh(session, feed_id))


async def fail(ctx: Matching, feed: Feed, failure: FeedFailure, reason: str) -> None:
    """The body could not be loaded: the feed says why, and nothing of it stays (its rejects do: they say why). Its
    idempotency key is free again, so the provider may send the feed anew under it."""
    _log.warning("feed.load_failed", feed_id=feed.id, source=feed.source, failure=failure.value, reason=reason)
    async with ctx.sessions.begin() as session:
        await drop_partition(session, feed.feed_no)
        await session.execute(
            update(Feed)
            .where(Feed.id == feed.id)
            .values(
                status=FeedStatus.FAILED.value,
                failure=failure.value,
                error=reason,
                finished_at=ctx.now(),
                rows_loaded=0,
                idempotency_key=None,
                awaiting_body=False,
            )
        )
