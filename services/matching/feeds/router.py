"""The registry provider API (CONTRACTS.md §5) and the staff view of sources and their feeds."""

from __future__ import annotations

import csv
import datetime as dt
import uuid
from collections.abc import AsyncIterator
from typing import Annotated

import orjson
from fastapi import APIRouter, Path, Query, Request
from sqlalchemy import func, select
from starlette.requests import ClientDisconnect

from libs.contracts.clock import business_date
from libs.kernel.db import DbSession
from libs.kernel.errors import BadRequest, NotFound, Unprocessable
from libs.kernel.pagination import DEFAULT_LIMIT, Cursor, Limit, Page, decode_keyset, encode_cursor
from services.matching.context import MatchingCtx
from services.matching.dependencies import Feeder, Reader
from services.matching.feeds import loading
from services.matching.feeds.blocks import line_blocks, split_header
from services.matching.feeds.models import Feed, FeedReject, FeedStatus
from services.matching.feeds.parsing import BodyFormat
from services.matching.feeds.partitions import create_partition
from services.matching.feeds.schemas import FeedOut, RejectOut, SourceOut
from services.matching.runs.models import SourceSchedule
from services.matching.sources import SOURCES, SourceSpec

router = APIRouter(prefix="/api/v1/matching", tags=["feeds"])
FIRST_REJECTS = 1000


def _format(request: Request) -> BodyFormat:
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    try:
        return BodyFormat(media)
    except ValueError:
        raise Unprocessable(
            "The body must be CSV (text/csv) or NDJSON (application/x-ndjson)", code="unsupported_body_format"
        ) from None


async def _chain(first: bytes, rest: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
    if first:
        yield first
    async for block in rest:
        yield block


async def _open_body(request: Request, fmt: BodyFormat, spec: SourceSpec, block_bytes: int) -> loading.Body:
    """Read up to the first block and check the header (CSV) or the first line (NDJSON) before anything is stored."""
    blocks = line_blocks(request.stream(), block_bytes)
    first = await anext(blocks, b"")
    if not first.strip():
        raise Unprocessable("The body is empty", code="empty_body")
    required = ["id_number", "name", *(f.name for f in spec.fields if f.required)]
    if fmt is BodyFormat.NDJSON:
        line = first.split(b"\n", 1)[0]
        try:
            if not isinstance(orjson.loads(line), dict):
                raise ValueError
        except ValueError:
            raise Unprocessable("The first line is not a JSON object", code="invalid_body") from None
        return loading.Body(fmt, [], _chain(first, blocks))
    line, rest = split_header(first)
    try:
        header = [name.strip().lower() for name in next(csv.reader([line.decode("utf-8-sig")]))]
    except (UnicodeDecodeError, csv.Error, StopIteration):
        raise Unprocessable("The first line is not a CSV header", code="invalid_body") from None
    if len(set(header)) != len(header):
        raise Unprocessable("The header names a column twice", code="duplicate_columns")
    missing = [name for name in required if name not in header]
    if missing:
        raise Unprocessable(
            f"The header lacks {', '.join(missing)}",
            code="missing_columns",
            errors=[{"loc": ["body", "header", name], "msg": "column missing"} for name in missing],
        )
    return loading.Body(fmt, header, _chain(rest, blocks))


# The body is read as a stream by hand (any size), so it is described here for the OpenAPI document.
_FEED_BODY = {"type": "string", "description": "Header row (CSV) or one JSON object per line (NDJSON), UTF-8"}


@router.post(
    "/feeds",
    status_code=202,
    response_model=FeedOut,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"text/csv": {"schema": _FEED_BODY}, "application/x-ndjson": {"schema": _FEED_BODY}},
        }
    },
)
async def upload_feed(
    request: Request,
    ctx: MatchingCtx,
    who: Feeder,
    source: Annotated[str, Query(max_length=64)],
    as_of: Annotated[dt.date | None, Query(description="The date the extract reflects; default today")] = None,
) -> FeedOut:
    spec = SOURCES.get(source)
    if spec is None:
        raise Unprocessable(
            f"Unknown source {source!r}",
            code="unknown_source",
            errors=[{"loc": ["query", "source"], "msg": f"one of {', '.join(SOURCES)}"}],
        )
    fmt = _format(request)
    try:
        body = await _open_body(request, fmt, spec, ctx.settings.feed_block_bytes)
    except ClientDisconnect as exc:
        raise BadRequest("The client went away while sending the feed", code="client_disconnected") from exc
    async with ctx.sessions.begin() as session:
        feed = Feed(
            id=str(uuid.uuid4()),
            source=source,
            as_of=as_of or business_date(ctx.now()),
            body_format=fmt.value,
            status=FeedStatus.RECEIVED.value,
            client_id=who.subject,
            received_at=ctx.now(),
        )
        session.add(feed)
        await session.flush()
        await create_partition(session, feed.feed_no)
    try:
        progress = await loading.load(request.app.state.db, ctx, feed, spec, body)
    except ClientDisconnect as exc:
        await loading.fail(ctx, feed, "the upload was interrupted")
        raise BadRequest("The client went away while sending the feed", code="client_disconnected") from exc
    except BaseException as exc:
        await loading.fail(ctx, feed, f"the load failed ({type(exc).__name__})")
        raise
    await loading.finish(ctx, feed.id, progress)
    async with ctx.sessions() as session:
        loaded = await session.get(Feed, feed.id)
        assert loaded is not None
        return await _view(session, loaded)


async def _rejects(session: DbSession, feed_id: str, after: int | None, limit: int) -> Page[RejectOut]:
    query = select(FeedReject).where(FeedReject.feed_id == feed_id).order_by(FeedReject.row).limit(limit + 1)
    if after is not None:
        query = query.where(FeedReject.row > after)
    rows = (await session.scalars(query)).all()
    items = [RejectOut(row=r.row, reason=r.reason) for r in rows[:limit]]
    more = len(rows) > limit
    return Page(items=items, next_cursor=encode_cursor([items[-1].row]) if more and items else None)


async def _view(session: DbSession, feed: Feed) -> FeedOut:
    page = await _rejects(session, feed.id, None, FIRST_REJECTS)
    return FeedOut.of(feed, page.items, page.next_cursor)


async def _own_feed(session: DbSession, feed_id: str, who: Feeder) -> Feed:
    feed = await session.get(Feed, feed_id)
    # Another provider's feed is as good as absent.
    if feed is None or feed.client_id != who.subject:
        raise NotFound("No such feed")
    return feed


@router.get("/feeds/{feed_id}", response_model=FeedOut)
async def feed_status(feed_id: Annotated[str, Path(max_length=64)], session: DbSession, who: Feeder) -> FeedOut:
    return await _view(session, await _own_feed(session, feed_id, who))


@router.get("/feeds/{feed_id}/rejects", response_model=Page[RejectOut])
async def feed_rejects(
    feed_id: Annotated[str, Path(max_length=64)],
    session: DbSession,
    who: Feeder,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[RejectOut]:
    await _own_feed(session, feed_id, who)
    after = decode_keyset(cursor, tuple[int])
    return await _rejects(session, feed_id, after[0] if after else None, limit)


@router.get("/sources", response_model=list[SourceOut], tags=["sources"])
async def sources(session: DbSession, who: Reader) -> list[SourceOut]:
    """Every registry source: its columns, schedule and latest feeds (staff)."""
    schedules = {s.source: s for s in await session.scalars(select(SourceSchedule))}
    # The three latest feeds of every source, in one query.
    rank = (
        func.row_number()
        .over(partition_by=Feed.source, order_by=(Feed.received_at.desc(), Feed.feed_no.desc()))
        .label("rank")
    )
    ranked = select(Feed.id, rank).subquery()
    latest = await session.scalars(
        select(Feed)
        .join(ranked, ranked.c.id == Feed.id)
        .where(ranked.c.rank <= 3)
        .order_by(Feed.received_at.desc(), Feed.feed_no.desc())
    )
    by_source: dict[str, list[Feed]] = {}
    for feed in latest:
        by_source.setdefault(feed.source, []).append(feed)
    out = []
    for name, spec in SOURCES.items():
        feeds = by_source.get(name, [])
        schedule = schedules.get(name)
        out.append(
            SourceOut(
                source=name,
                label=spec.label,
                columns=list(spec.columns),
                frequency=schedule.frequency if schedule else spec.frequency.value,
                snapshot=spec.snapshot,
                last_run_at=schedule.last_run_at if schedule else None,
                next_run_at=schedule.next_run_at if schedule else None,
                latest_feeds=[FeedOut.of(f, []) for f in feeds],
            )
        )
    return out
