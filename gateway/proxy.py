"""Forwarding to the services: one shared HTTP client, bodies streamed both ways, the principal re-signed.

The client rides on aiohttp (httpx-aiohttp) for throughput. Requests and responses are streamed, so a registry feed
upload or a roster CSV download never sits whole in gateway memory.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

import aiohttp
import httpx
import structlog
from fastapi import FastAPI, Request
from httpx_aiohttp import AiohttpTransport
from prometheus_client import Histogram
from starlette.requests import ClientDisconnect
from starlette.responses import StreamingResponse
from starlette.types import Receive, Scope, Send

from gateway.auth.dependencies import CurrentCaller
from gateway.auth.tokens import Caller
from gateway.config import GatewaySettings
from gateway.routes import ROUTES, Route, resolve
from gateway.runtime import Runtime, get_runtime
from libs.kernel.auth import INTERNAL_HEADER, ensure_jurisdiction
from libs.kernel.errors import BadGateway, BadRequest, GatewayTimeout, NotFound, Problem

_log = structlog.get_logger("proxy")

UPSTREAM_SECONDS = Histogram(
    "jiuzhu_gateway_upstream_seconds",
    "Time until a service's response headers arrived at the gateway",
    ["service", "outcome"],
    buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)

# RFC 9110 §7.6.1 hop-by-hop fields; "proxy-*" is matched by prefix below.
HOP_BY_HOP = frozenset({"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade"})
# Never passed up: the caller's credentials and cookies (services trust only the internal token), and every
# header the gateway itself vouches for, so a caller cannot forge a principal, an address or a request id.
_DROP_UP = HOP_BY_HOP | {
    "host", "authorization", "cookie", "expect", INTERNAL_HEADER.lower(), "x-request-id",
    "x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "forwarded", "x-real-ip",
}  # fmt: skip
# Never passed down: uvicorn adds its own Date and Server; the request id is set by RequestContextMiddleware.
_DROP_DOWN = HOP_BY_HOP | {"date", "server", "x-request-id"}


def build_upstream_client(settings: GatewaySettings) -> httpx.AsyncClient:
    """The one client every proxied request and readiness probe shares (its connection pool is the point)."""

    def session() -> aiohttp.ClientSession:
        # Called lazily by the transport inside the running loop. aiohttp would otherwise add its own Accept,
        # Accept-Encoding and User-Agent; a proxy passes the caller's (or none).
        connector = aiohttp.TCPConnector(limit=settings.upstream_max_connections, keepalive_timeout=30)
        return aiohttp.ClientSession(
            connector=connector,
            skip_auto_headers=("Accept", "Accept-Encoding", "User-Agent"),
            auto_decompress=False,
        )

    return httpx.AsyncClient(
        transport=AiohttpTransport(client=session),
        timeout=httpx.Timeout(settings.upstream_timeout_seconds),
        trust_env=False,  # no HTTP(S)_PROXY detour between the gateway and its services
        follow_redirects=False,
    )


# What a failed exchange with a service can raise: httpx's mapped errors, and aiohttp errors httpx-aiohttp does not map
# (a malformed response, for one).
UPSTREAM_ERRORS = (httpx.TransportError, aiohttp.ClientError, TimeoutError)


def is_timeout(exc: Exception) -> bool:
    """Whether the service was too slow (504) rather than unreachable or broken (502).

    httpx-aiohttp maps every aiohttp connection error, a refused connection included, to httpx.ConnectTimeout; the
    aiohttp exception underneath tells them apart (its timeouts subclass TimeoutError).
    """
    underlying = exc.__cause__ if isinstance(exc, httpx.HTTPError) else exc
    if underlying is not None and not isinstance(underlying, httpx.HTTPError):
        return isinstance(underlying, TimeoutError)
    return isinstance(exc, httpx.TimeoutException)


def upstream_problem(service: str, exc: Exception) -> Problem:
    if is_timeout(exc):
        return GatewayTimeout(f"The {service} service did not answer in time", service=service)
    return BadGateway(f"The {service} service is unavailable", service=service)


def _connection_tokens(headers: list[tuple[bytes, bytes]]) -> set[str]:
    # Fields named in Connection are hop-by-hop too (RFC 9110 §7.6.1).
    return {
        token.strip().lower()
        for name, value in headers
        if name.lower() == b"connection"
        for token in value.decode("latin-1").split(",")
    }


def _filter(headers: list[tuple[bytes, bytes]], drop: frozenset[str]) -> list[tuple[bytes, bytes]]:
    extra = _connection_tokens(headers)
    kept = []
    for name, value in headers:
        lowered = name.decode("latin-1").lower()
        if lowered in drop or lowered in extra or lowered.startswith("proxy-"):
            continue
        kept.append((name, value))
    return kept


def _upstream_url(base: str, request: Request) -> str:
    # The raw (still percent-encoded) path, so an encoded character reaches the service exactly as sent.
    raw_path: bytes = request.scope.get("raw_path") or request.scope["path"].encode()
    query: bytes = request.scope.get("query_string", b"")
    url = base + raw_path.decode("latin-1")
    return f"{url}?{query.decode('latin-1')}" if query else url


def _has_body(request: Request) -> bool:
    length = request.headers.get("content-length")
    return (length is not None and length != "0") or "transfer-encoding" in request.headers


class UpstreamResponse(StreamingResponse):
    """A service's response streamed through unchanged; the upstream connection is released however it ends."""

    def __init__(self, upstream: httpx.Response, service: str) -> None:
        super().__init__(self._relay(upstream, service), status_code=upstream.status_code)
        # Raw pairs, not a mapping: repeated fields (Link, Set-Cookie, Vary) must survive.
        self.raw_headers = _filter(list(upstream.headers.raw), _DROP_DOWN)
        self._upstream = upstream

    @staticmethod
    async def _relay(upstream: httpx.Response, service: str) -> AsyncIterator[bytes]:
        try:
            async for chunk in upstream.aiter_raw():
                yield chunk
        except Exception as exc:
            # Headers are gone already: all we can do is break the connection so the client sees a failure,
            # not a silently truncated body.
            _log.warning("proxy.stream_aborted", service=service, error=type(exc).__name__)
            raise

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            await self._upstream.aclose()


async def forward(request: Request, route: Route, caller: Caller, rt: Runtime) -> UpstreamResponse:
    client_ip = request.client.host if request.client is not None else ""
    headers = _filter(list(request.headers.raw), _DROP_UP)
    headers += [
        (INTERNAL_HEADER.lower().encode(), rt.internal_tokens.token_for(caller).encode()),
        (b"x-request-id", str(getattr(request.state, "request_id", "")).encode()),
        (b"x-forwarded-proto", request.url.scheme.encode()),
    ]
    if client_ip:
        # Only the address the gateway itself saw (or uvicorn took from a trusted proxy): services may rely on it.
        headers.append((b"x-forwarded-for", client_ip.encode()))
    upstream_request = httpx.Request(
        request.method,
        _upstream_url(rt.upstream_urls[route.service], request),
        headers=headers,
        content=request.stream() if _has_body(request) else None,
    )
    started = time.perf_counter()
    try:
        upstream = await rt.upstream.send(upstream_request, stream=True)
    except ClientDisconnect as exc:
        raise BadRequest("The client went away while sending the request", code="client_disconnected") from exc
    except UPSTREAM_ERRORS as exc:
        problem = upstream_problem(route.service, exc)
        UPSTREAM_SECONDS.labels(route.service, problem.instance_code).observe(time.perf_counter() - started)
        _log.warning("proxy.upstream_failed", service=route.service, code=problem.instance_code,
                     error=type(exc.__cause__ or exc).__name__)  # fmt: skip
        raise problem from exc
    UPSTREAM_SECONDS.labels(route.service, "ok").observe(time.perf_counter() - started)
    return UpstreamResponse(upstream, route.service)


_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


async def proxy_endpoint(request: Request, caller: CurrentCaller) -> UpstreamResponse:
    """Every routed prefix: authenticate, authorise by the route table, pre-check jurisdiction, forward."""
    route = resolve(request.scope["path"])
    if route is None:
        raise NotFound("No service answers this path")
    request.state.route_service = route.service  # for the access audit, also when refused below
    route.authorise(caller.principal)
    # An early, cheap refusal; the service checks again on its own data (no trust in the network).
    for region_code in request.query_params.getlist("region_code"):
        ensure_jurisdiction(caller.principal, region_code)
    return await forward(request, route, caller, get_runtime(request))


def install_proxy_routes(app: FastAPI) -> None:
    """One catch-all per routed prefix, most specific first: any other path is a 404 before authentication, and
    the per-prefix route templates keep request metrics grouped by service."""
    patterns: dict[str, None] = {}
    for route in sorted(ROUTES, key=lambda r: len(r.prefix), reverse=True):
        base = route.prefix.rstrip("/")
        if not route.prefix.endswith("/"):
            patterns[base] = None
        patterns[base + "/{path:path}"] = None
    for pattern in patterns:
        app.add_api_route(pattern, proxy_endpoint, methods=_METHODS, include_in_schema=False)
