"""The registry provider API (CONTRACTS.md §5): a feed uploaded in one request (with an optional Idempotency-Key),
or created first and its body PUT after, so the provider can follow the load by the id while it streams."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response
from starlette.requests import ClientDisconnect

from libs.kernel.db import DbSession
from libs.kernel.pagination import Page, Paging
from services.matching.context import MatchingCtx
from services.matching.dependencies import Feeder
from services.matching.feeds import repository, service, views
from services.matching.feeds.body import Body, HashedStream, body_format, open_body
from services.matching.feeds.dependencies import Named
from services.matching.feeds.errors import ClientDisconnected, IdempotencyKeyReused, UnexpectedBody
from services.matching.feeds.parsing import BodyFormat
from services.matching.feeds.schemas import FeedOut, RejectOut, UploadOut
from services.matching.feeds.sweep import sweep_on_start
from services.matching.sources import SourceSpec

# Started with the API: uploads a killed process left half-loaded are failed at once (services.matching.feeds.sweep).
router = APIRouter(prefix="/api/v1/matching", tags=["feeds"], lifespan=sweep_on_start)
FeedId = Annotated[str, Path(max_length=64)]

# The body is read as a stream by hand (any size), so it is described here for the OpenAPI document.
_FEED_BODY = {"type": "string", "description": "Header row (CSV) or one JSON object per line (NDJSON), UTF-8"}
_STREAMED = {
    "requestBody": {
        "required": True,
        "content": {"text/csv": {"schema": _FEED_BODY}, "application/x-ndjson": {"schema": _FEED_BODY}},
    }
}
_PROBLEMS: dict[int | str, dict[str, str]] = {
    400: {"description": "The provider went away or stopped sending"},
    403: {"description": "Not a registry provider"},
    409: {"description": "The Idempotency-Key names another body or a feed still being received"},
    422: {"description": "Not a feed of the source, or a feed given up as unreadable"},
}
_OWN: dict[int | str, dict[str, str]] = {
    403: {"description": "Not a registry provider"},
    404: {"description": "No such feed of yours"},
}


def _stream(request: Request, ctx: MatchingCtx) -> HashedStream:
    return HashedStream(request, ctx.settings.feed_stalled_minutes * 60)


async def _opened(stream: HashedStream, fmt: BodyFormat, spec: SourceSpec, ctx: MatchingCtx) -> Body:
    try:
        return await open_body(stream, fmt, spec, ctx.settings.feed_block_bytes, ctx.settings.feed_max_line_bytes)
    except ClientDisconnect as exc:
        raise ClientDisconnected("The client went away while sending the feed") from exc


def _locate(response: Response, feed_id: str) -> None:
    response.headers["Location"] = service.feed_url(feed_id)


async def _answer(ctx: MatchingCtx, feed_id: str, response: Response) -> FeedOut:
    _locate(response, feed_id)
    async with ctx.sessions() as session:
        return await views.feed_view(session, await repository.fresh(session, feed_id))


@router.post("/feeds", status_code=202, response_model=FeedOut, openapi_extra=_STREAMED, responses=_PROBLEMS)
async def upload_feed(request: Request, response: Response, ctx: MatchingCtx, named: Named) -> FeedOut:
    """Load a feed as it streams; the answer (and `Location`) names it. The same Idempotency-Key and body again
    answer with the same feed and store nothing."""
    fmt = body_format(request)
    stream = _stream(request, ctx)
    if (prior := await service.prior(ctx, named.new)) is not None:
        await service.replay(prior, named.spec.name, stream)
        return await _answer(ctx, prior.id, response)
    body = await _opened(stream, fmt, named.spec, ctx)
    async with service.loader_connection(request.app.state.db) as conn:
        feed = await service.create_loading(conn, ctx, named.new, fmt)
        answer = await service.load_body(conn, ctx, feed, named.spec, body)
    _locate(response, feed.id)
    return answer


@router.post(
    "/feeds/uploads",
    status_code=201,
    response_model=UploadOut,
    responses={
        403: {"description": "Not a registry provider"},
        409: {"description": "The Idempotency-Key was used for a feed of another source"},
        422: {"description": "An unknown source or a body sent with the request"},
    },
)
async def create_upload(request: Request, response: Response, ctx: MatchingCtx, named: Named) -> UploadOut:
    """Name a feed before sending it (an empty body); PUT the body to `upload_url` next, and follow the load by
    `feed_id` meanwhile. The same Idempotency-Key again answers with the same upload."""
    async for chunk in request.stream():
        if chunk.strip():
            raise UnexpectedBody("This request creates an upload; PUT the body to its upload_url")
    if (prior := await service.prior(ctx, named.new)) is not None:
        if prior.source != named.new.source:
            raise IdempotencyKeyReused(
                "This Idempotency-Key was used for a feed of another source",
                feed_id=prior.id,
            )
        feed = prior
    else:
        feed = await service.create_upload(ctx, named.new)
    _locate(response, feed.id)
    return views.upload_out(feed, service.upload_url(feed.id))


@router.put(
    "/feeds/uploads/{feed_id}",
    status_code=202,
    response_model=FeedOut,
    openapi_extra=_STREAMED,
    responses={**_PROBLEMS, 404: {"description": "No such upload of yours"}},
)
async def put_upload(feed_id: FeedId, request: Request, response: Response, ctx: MatchingCtx, who: Feeder) -> FeedOut:
    """The body of an upload, loaded as it streams. A second PUT of the same body to a loaded upload answers as the
    first; any other second PUT is a conflict."""
    fmt = body_format(request)
    async with ctx.sessions() as session:
        feed = await repository.own_feed(session, feed_id, who)
    spec = service.spec_of(feed)
    stream = _stream(request, ctx)
    if not feed.awaiting_body:
        await service.repeat_upload(feed, stream)
        return await _answer(ctx, feed.id, response)
    body = await _opened(stream, fmt, spec, ctx)
    async with service.loader_connection(request.app.state.db) as conn:
        claimed = await service.claim_upload(conn, feed.id, fmt)
        answer = await service.load_body(conn, ctx, claimed, spec, body)
    _locate(response, feed.id)
    return answer


@router.get("/feeds/{feed_id}", response_model=FeedOut, responses=_OWN)
async def feed_status(feed_id: FeedId, session: DbSession, who: Feeder) -> FeedOut:
    """One of the provider's feeds: how far its load and run have come, with its first rejects."""
    return await views.feed_view(session, await repository.own_feed(session, feed_id, who))


@router.get(
    "/feeds/{feed_id}/rejects",
    response_model=Page[RejectOut],
    responses={**_OWN, 422: {"description": "Not a cursor of this list"}},
)
async def feed_rejects(
    feed_id: FeedId,
    session: DbSession,
    who: Feeder,
    page: Paging,
) -> Page[RejectOut]:
    """The rows of a feed refused and why, by row, after the first ones its status shows."""
    await repository.own_feed(session, feed_id, who)
    return await views.rejects_page(session, feed_id, page.after_key(int), page.limit)
