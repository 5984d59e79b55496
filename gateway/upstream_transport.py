"""The transport from the gateway to the services: pooled connections that agree with the services' keep-alive, and
one retry, on a fresh connection, of a request a reused connection dropped.

A service closes a connection that has been idle for its `http_keepalive_seconds`. A request the gateway sends on that
connection at the moment the service closes it is lost: the service never reads it, the gateway sees the connection
reset or closed before any answer, and the caller got a 502 (issue 17, finding 11). Two things prevent that:

- the pool retires a connection after `upstream_keepalive_seconds` of idleness, well before any service would close
  it (GatewaySettings), so the gateway is always the one to close an idle connection;
- should a reused connection still fail that way (a service restarted, a network device dropping idle flows), the
  request is sent once more on a new connection, when that cannot repeat a write: an idempotent method (RFC 9110
  §9.2.2) whose body is still at hand, or any method when no byte of the request was sent. aiohttp sends a request's
  headers together with the first chunk of its body, so a request with a body whose first chunk was never written has
  not left the gateway. A body-less POST has sent its headers, and is never repeated.

aiohttp's own retry of idempotent requests is switched off: it may take another pooled connection, as stale as the
first, and it would repeat a request a second time after ours.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from contextvars import ContextVar
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import aiohttp
import httpx
import structlog
from httpx_aiohttp import AiohttpTransport

from libs.kernel.auth import INTERNAL_HEADER

_log = structlog.get_logger("proxy")

# What a failed exchange with a service can raise: httpx's mapped errors, and aiohttp errors httpx-aiohttp does not map
# (a malformed response, for one); gateway.proxy.upstream_problem tells unreachable from too slow.
UPSTREAM_ERRORS = (httpx.TransportError, aiohttp.ClientError, TimeoutError)
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
# How much of a request body is kept to be sent again; a longer body is sent once, as it streams.
REPLAY_LIMIT = 1024 * 1024


@dataclass
class Attempt:
    """What aiohttp reported about one attempt of one request (through its tracing signals)."""

    reused: bool = False  # the connection came from the pool
    body_writes: int = 0  # body chunks aiohttp started to write (the headers go out with the first)


_ATTEMPT: ContextVar[Attempt | None] = ContextVar("upstream_attempt", default=None)


async def _on_reuse(_session: aiohttp.ClientSession, _ctx: SimpleNamespace, _params: Any) -> None:
    attempt = _ATTEMPT.get()
    if attempt is not None:
        attempt.reused = True


async def _on_chunk(_session: aiohttp.ClientSession, _ctx: SimpleNamespace, _params: Any) -> None:
    # Runs in aiohttp's body-writer task, which copied the request's context: the same Attempt object.
    attempt = _ATTEMPT.get()
    if attempt is not None:
        attempt.body_writes += 1


class ReplayableBody(httpx.AsyncByteStream):
    """A streamed request body that keeps what aiohttp has read of it (up to `REPLAY_LIMIT`), to send it again."""

    def __init__(self, source: httpx.AsyncByteStream) -> None:
        self._source = source.__aiter__()
        self._kept: list[bytes] = []
        self._kept_bytes = 0
        self._pulling = False  # a read from the source is under way (and cannot be resumed elsewhere)
        self._superseded = False
        self.overflowed = False
        self.exhausted = False
        self.broken = False

    @property
    def replayable(self) -> bool:
        return not (self.overflowed or self.broken or self._pulling)

    async def __aiter__(self) -> AsyncIterator[bytes]:
        while not self._superseded:
            chunk = await self._pull()
            if chunk is None:
                return
            if self._kept_bytes + len(chunk) <= REPLAY_LIMIT:
                self._kept.append(chunk)
                self._kept_bytes += len(chunk)
            else:
                self.overflowed = True
            yield chunk

    async def _pull(self) -> bytes | None:
        self._pulling = True
        try:
            chunk = await self._source.__anext__()
        except StopAsyncIteration:
            self.exhausted = True
            return None
        except BaseException:
            self.broken = True  # cancelled or failed mid-read: the source cannot be read on
            raise
        finally:
            self._pulling = False
        return chunk

    def replay(self) -> httpx.AsyncByteStream:
        """The whole body again: what was read so far, then the rest of the source. Ends this first reading."""
        assert self.replayable
        self._superseded = True
        return _Replay(self)


class _Replay(httpx.AsyncByteStream):
    def __init__(self, body: ReplayableBody) -> None:
        self._body = body

    async def __aiter__(self) -> AsyncIterator[bytes]:
        body = self._body
        for kept in body._kept:
            yield kept
        while not body.exhausted:
            chunk = await body._pull()
            if chunk is None:
                return
            yield chunk


def dropped_connection(exc: BaseException) -> bool:
    """Whether `exc` (or what caused it) is a connection closed or reset under the request, as opposed to a
    timeout or a refused connection."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, TimeoutError | aiohttp.ClientConnectorError):
            return False
        if isinstance(seen, aiohttp.ServerDisconnectedError | aiohttp.ClientOSError | ConnectionError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def may_retry(method: str, attempt: Attempt, body: ReplayableBody | None, exc: BaseException) -> bool:
    """Whether a failed attempt is sent again on a fresh connection (the rules are in the module docstring)."""
    if not attempt.reused or not dropped_connection(exc):
        return False
    if body is not None and not body.replayable:
        return False
    if method.upper() in IDEMPOTENT_METHODS:
        return True
    return body is not None and attempt.body_writes == 0 and not body.exhausted


class UpstreamTransport(httpx.AsyncBaseTransport):
    """Pooled connections (retired after `keepalive_seconds` idle), and a fresh connection for the one retry."""

    def __init__(self, *, max_connections: int, keepalive_seconds: float) -> None:
        def pooled() -> aiohttp.ClientSession:
            tracing = aiohttp.TraceConfig()
            tracing.on_connection_reuseconn.append(_on_reuse)
            tracing.on_request_chunk_sent.append(_on_chunk)
            connector = aiohttp.TCPConnector(limit=max_connections, keepalive_timeout=keepalive_seconds)
            return _session(connector, [tracing])

        def fresh() -> aiohttp.ClientSession:
            # One connection per request, closed after it: never a stale one.
            return _session(aiohttp.TCPConnector(limit=max_connections, force_close=True), [])

        self._pooled = AiohttpTransport(client=pooled)
        self._fresh = AiohttpTransport(client=fresh)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body: ReplayableBody | None = None
        if not _is_buffered(request):
            body = ReplayableBody(request.stream)  # type: ignore[arg-type]  # a request's stream is async here
            request.stream = body
        attempt = Attempt()
        token = _ATTEMPT.set(attempt)
        try:
            return await self._pooled.handle_async_request(request)
        except Exception as exc:
            if not may_retry(request.method, attempt, body, exc):
                raise
            _log.info("proxy.upstream_retried", method=request.method, host=request.url.netloc.decode(),
                      error=type(exc.__cause__ or exc).__name__)  # fmt: skip
        finally:
            _ATTEMPT.reset(token)
        if body is not None:
            request.stream = body.replay()
        return await self._fresh.handle_async_request(request)

    async def aclose(self) -> None:
        with contextlib.suppress(Exception):
            await self._pooled.aclose()
        await self._fresh.aclose()


def _is_buffered(request: httpx.Request) -> bool:
    """Whether the body is in memory already (or absent), so it can simply be sent again."""
    try:
        request.content  # noqa: B018 - raises for a streamed body that was not read
    except httpx.RequestNotRead:
        return False
    return True


def _session(connector: aiohttp.TCPConnector, tracing: list[aiohttp.TraceConfig]) -> aiohttp.ClientSession:
    # Built lazily by the transport inside the running loop. aiohttp would otherwise add its own Accept,
    # Accept-Encoding and User-Agent; a proxy passes the caller's (or none).
    session = aiohttp.ClientSession(
        connector=connector,
        skip_auto_headers=("Accept", "Accept-Encoding", "User-Agent"),
        auto_decompress=False,
        # No cookie jar: a service's Set-Cookie belongs to the caller it answered, never to be sent back to the
        # service with the next caller's request.
        cookie_jar=aiohttp.DummyCookieJar(),
        trace_configs=tracing,
    )
    session._retry_connection = False  # the retry is ours (module docstring)
    return session


async def put_to_service(
    http: httpx.AsyncClient, service: str, url: str, body: object, token: str, *, log: Any, event: str
) -> bool:
    """PUT `body` to one of `service`'s internal endpoints, as the holder of `token`: whether the service took it (200).
    Not reaching it is logged on `log` as `<event>_failed`, a refusal as `<event>_refused`; the caller tries again."""
    try:
        reply = await http.put(url, json=body, headers={INTERNAL_HEADER: token})
    except UPSTREAM_ERRORS as exc:
        log.warning(f"{event}_failed", service=service, error=type(exc.__cause__ or exc).__name__)
        return False
    if reply.status_code != 200:
        log.warning(f"{event}_refused", service=service, status=reply.status_code)
        return False
    return True
