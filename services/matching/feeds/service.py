"""Feed uploads as use cases (CONTRACTS.md §5 and its 2026-12 additions): a feed created for its provider (with
its region and idempotency key), loaded on a connection that holds the feed's loader lock, failed at once and
emptied when its body breaks, and a retried upload answered with the feed it repeats.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import structlog
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from starlette.requests import ClientDisconnect

from libs.kernel.auth import Principal
from libs.kernel.db import Database
from services.matching.context import Matching
from services.matching.feeds import loader_lock, loading
from services.matching.feeds.blocks import UnframedBody
from services.matching.feeds.body import Body, BodyStalled, HashedStream
from services.matching.feeds.errors import (
    ClientDisconnected,
    FeedInProgress,
    FeedStalled,
    IdempotencyKeyReused,
    TooManyRejectedRows,
    UnframedFeed,
    UploadAlreadyLoaded,
    UploadFailed,
    UploadInProgress,
)
from services.matching.feeds.models import Feed, FeedFailure, FeedStatus
from services.matching.feeds.parsing import BodyFormat
from services.matching.feeds.partitions import create_partition
from services.matching.feeds.schemas import FeedOut
from services.matching.metrics import FEEDS_FAILED
from services.matching.sources import SOURCES, SourceSpec

_log = structlog.get_logger("matching.feeds")
FEEDS_PATH = "/api/v1/matching/feeds"


def feed_url(feed_id: str) -> str:
    return f"{FEEDS_PATH}/{feed_id}"


def upload_url(feed_id: str) -> str:
    return f"{FEEDS_PATH}/uploads/{feed_id}"


@dataclass(frozen=True)
class NewFeed:
    source: str
    as_of: dt.date
    provider: Principal
    idempotency_key: str | None


def _feed(ctx: Matching, new: NewFeed, fmt: BodyFormat | None, *, awaiting_body: bool) -> Feed:
    return Feed(
        id=str(uuid.uuid4()),
        source=new.source,
        as_of=new.as_of,
        body_format=fmt.value if fmt else None,
        status=FeedStatus.RECEIVED.value,
        client_id=new.provider.subject,
        client_name=new.provider.name or None,
        provider_region=new.provider.region_prefix,
        idempotency_key=new.idempotency_key,
        awaiting_body=awaiting_body,
        received_at=ctx.now(),
    )


def _key_in_use(feed_id: str) -> FeedInProgress:
    return FeedInProgress(
        "A feed under this Idempotency-Key is still being received; follow it by its id",
        feed_id=feed_id,
        headers={"Location": feed_url(feed_id)},
    )


async def prior(ctx: Matching, new: NewFeed) -> Feed | None:
    """The feed the provider sent before under the same Idempotency-Key, if any."""
    if new.idempotency_key is None:
        return None
    async with ctx.sessions() as session:
        found: Feed | None = await session.scalar(
            select(Feed).where(Feed.client_id == new.provider.subject, Feed.idempotency_key == new.idempotency_key)
        )
        return found


async def replay(prior: Feed, source: str, stream: HashedStream) -> None:
    """A POST under a key already used: fine if it repeats the loaded feed's body exactly (read and hashed to the
    end), a conflict otherwise. Nothing is stored either way."""
    if prior.source != source:
        raise IdempotencyKeyReused(
            "This Idempotency-Key was used for a feed of another source",
            feed_id=prior.id,
        )
    if prior.loaded_at is None:
        raise _key_in_use(prior.id)
    if await stream.drain() != prior.body_sha256:
        raise IdempotencyKeyReused("This Idempotency-Key was used for another body", feed_id=prior.id)


def spec_of(feed: Feed) -> SourceSpec:
    return SOURCES[feed.source]


async def repeat_upload(feed: Feed, stream: HashedStream) -> None:
    """A PUT to an upload that has had its body: the same body again is answered as the first (nothing stored);
    anything else is a conflict."""
    if feed.status == FeedStatus.FAILED.value and feed.loaded_at is None:
        raise UploadFailed(f"The upload failed ({feed.error}); create a new one", feed_id=feed.id)
    if feed.loaded_at is None:
        raise UploadInProgress("The upload is being loaded already", feed_id=feed.id)
    if await stream.drain() != feed.body_sha256:
        raise UploadAlreadyLoaded("The upload was loaded with another body", feed_id=feed.id)


async def create_upload(ctx: Matching, new: NewFeed) -> Feed:
    """A feed waiting for its body (`PUT upload_url`); nothing to load yet, so no partition and no loader lock."""
    feed = _feed(ctx, new, None, awaiting_body=True)
    try:
        async with ctx.sessions.begin() as session:
            session.add(feed)
    except IntegrityError:
        first = await prior(ctx, new)
        raise _key_in_use(first.id if first else "") from None
    return feed


@asynccontextmanager
async def loader_connection(db: Database) -> AsyncIterator[AsyncConnection]:
    async with db.engine.connect() as conn:
        yield conn


async def _make_loadable(session: AsyncSession, feed: Feed) -> None:
    await session.flush()
    await create_partition(session, feed.feed_no)
    # Taken before the transaction that makes the feed loadable commits: the sweep never sees it without its lock.
    if not await loader_lock.hold(session, feed.feed_no):
        raise _key_in_use(feed.id)


async def create_loading(conn: AsyncConnection, ctx: Matching, new: NewFeed, fmt: BodyFormat) -> Feed:
    """A new feed, its partition, and its loader lock held by `conn`."""
    feed = _feed(ctx, new, fmt, awaiting_body=False)
    try:
        async with AsyncSession(bind=conn, expire_on_commit=False) as session, session.begin():
            session.add(feed)
            await _make_loadable(session, feed)
    except IntegrityError:
        # Another request under the same key created its feed first.
        first = await prior(ctx, new)
        raise _key_in_use(first.id if first else "") from None
    return feed


async def claim_upload(conn: AsyncConnection, feed_id: str, fmt: BodyFormat) -> Feed:
    """The upload's body has come: it stops waiting, gets its partition and its loader lock (held by `conn`)."""
    async with AsyncSession(bind=conn, expire_on_commit=False) as session, session.begin():
        feed = await session.get(Feed, feed_id, with_for_update=True)
        if feed is None or not feed.awaiting_body:
            raise UploadInProgress("The upload is being loaded already", feed_id=feed_id)
        feed.awaiting_body = False
        feed.body_format = fmt.value
        await _make_loadable(session, feed)
    return feed


async def load_body(conn: AsyncConnection, ctx: Matching, feed: Feed, spec: SourceSpec, body: Body) -> FeedOut:
    """Stream the body in and answer with the feed as loaded; a body that breaks fails the feed at once, with its
    rows removed, and says why. The loader lock is released in every case (a failure to release it closes the
    connection, which releases it)."""
    try:
        return await _load(conn, ctx, feed, spec, body)
    finally:
        try:
            await loader_lock.release(conn, feed.feed_no)
        except Exception:
            await conn.invalidate()


async def _fail(ctx: Matching, feed: Feed, failure: FeedFailure, reason: str) -> None:
    FEEDS_FAILED.labels(feed.source, failure.value).inc()
    await loading.fail(ctx, feed, failure, reason)


async def _load(conn: AsyncConnection, ctx: Matching, feed: Feed, spec: SourceSpec, body: Body) -> FeedOut:
    where = {"Location": feed_url(feed.id)}
    try:
        progress = await loading.load(conn, ctx, feed, spec, body)
    except ClientDisconnect as exc:
        await _fail(ctx, feed, FeedFailure.CLIENT_DISCONNECTED, "the provider went away before the body was complete")
        raise ClientDisconnected("The client went away while sending the feed") from exc
    except BodyStalled as exc:
        await _fail(ctx, feed, FeedFailure.CLIENT_DISCONNECTED, str(exc))
        raise FeedStalled(f"The upload was given up: {exc}", feed_id=feed.id, headers=where) from exc
    except UnframedBody as exc:
        await _fail(ctx, feed, FeedFailure.UNFRAMED_BODY, f"the body cannot be cut into rows: {exc}")
        raise UnframedFeed(f"The body cannot be cut into rows: {exc}", feed_id=feed.id, headers=where) from exc
    except loading.TooManyRejects as exc:
        reason = f"stopped: {exc}; the first rejects are listed"
        await _fail(ctx, feed, FeedFailure.TOO_MANY_REJECTS, reason)
        raise TooManyRejectedRows(f"The feed was {reason}", feed_id=feed.id, headers=where) from exc
    except BaseException as exc:
        await _fail(ctx, feed, FeedFailure.LOAD_ERROR, f"the load failed ({type(exc).__name__})")
        raise
    answer = await loading.finish(ctx, feed.id, progress, body.stream.hexdigest())
    _log.info("feed.loaded", feed_id=feed.id, source=feed.source, rows=progress.total, rejected=progress.rejected)
    return answer
