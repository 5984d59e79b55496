"""Forwarding to the services: one shared HTTP client, bodies streamed both ways, the principal re-signed.

The client rides on aiohttp (httpx-aiohttp) for throughput, through gateway.upstream_transport. Requests and
responses are streamed, so a registry feed upload or a roster CSV download never sits whole in gateway memory.

Every proxied request takes this path, so it is a raw ASGI route rather than a FastAPI endpoint: no dependency
resolution, no `Request` object, no `StreamingResponse` task group per request. What FastAPI would have done for it
is done here explicitly: authentication first (a 401 before anything else), then routing, authorisation and the
jurisdiction pre-check; problems raised here reach the app's exception handlers exactly as an endpoint's would.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterable
from urllib.parse import parse_qsl

import httpx
import structlog
from fastapi import FastAPI
from prometheus_client import Histogram
from starlette.requests import ClientDisconnect
from starlette.routing import Match
from starlette.routing import Route as StarletteRoute
from starlette.types import Message, Receive, Scope, Send

from gateway.auth.dependencies import authenticate
from gateway.auth.errors import ClientDisconnected
from gateway.auth.tokens import Caller
from gateway.config import GatewaySettings
from gateway.public_paths import PUBLIC_CALLER, check_public_query, is_public
from gateway.routes import ROUTES, Route, resolve
from gateway.runtime import Runtime, runtime_of
from gateway.upstream_transport import UPSTREAM_ERRORS, UpstreamTransport
from libs.kernel.auth import INTERNAL_HEADER, ensure_jurisdiction
from libs.kernel.errors import BadGateway, GatewayTimeout, NotFound, Problem
from libs.kernel.tracing import current_traceparent

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
    # Trace context: the gateway's own span is the parent the service continues (libs.kernel.tracing).
    "traceparent", "tracestate",
}  # fmt: skip
# Never passed down: uvicorn adds its own Date and Server; the request id is set by RequestContextMiddleware.
_DROP_DOWN = HOP_BY_HOP | {"date", "server", "x-request-id"}
INTERNAL_HEADER_BYTES = INTERNAL_HEADER.lower().encode()


def build_upstream(settings: GatewaySettings) -> tuple[httpx.AsyncClient, httpx.AsyncBaseTransport]:
    """The one client every proxied request and readiness probe shares (its connection pool is the point), and its
    transport.

    Proxied requests go straight to the client's transport (`forward`): a proxy wants none of what the client adds
    on top of it (a cookie jar fed by every service's Set-Cookie, redirects, auth), and that layer cost more CPU
    than the exchange itself. Readiness probes use the client. The transport (gateway.upstream_transport) retires
    idle connections before the services close them and retries once what a reused connection dropped.
    """
    transport = UpstreamTransport(
        max_connections=settings.upstream_max_connections, keepalive_seconds=settings.upstream_keepalive_seconds
    )
    client = httpx.AsyncClient(
        transport=transport,
        timeout=httpx.Timeout(settings.upstream_timeout_seconds),
        trust_env=False,  # no HTTP(S)_PROXY detour between the gateway and its services
        follow_redirects=False,
    )
    return client, transport


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


def _connection_tokens(headers: Iterable[tuple[bytes, bytes]]) -> set[str]:
    # Fields named in Connection are hop-by-hop too (RFC 9110 §7.6.1).
    return {
        token.strip().lower()
        for name, value in headers
        if name.lower() == b"connection"
        for token in value.decode("latin-1").split(",")
    }


def filter_headers(headers: Iterable[tuple[bytes, bytes]], drop: frozenset[str]) -> list[tuple[bytes, bytes]]:
    headers = list(headers)
    extra = _connection_tokens(headers)
    kept = []
    for name, value in headers:
        lowered = name.decode("latin-1").lower()
        if lowered in drop or lowered in extra or lowered.startswith("proxy-"):
            continue
        kept.append((name, value))
    return kept


def _header(scope: Scope, name: bytes) -> str | None:
    """The first value of a request header (ASGI servers lower-case the names), like `Request.headers.get`."""
    for key, value in scope["headers"]:
        if key == name:
            text: str = value.decode("latin-1")
            return text
    return None


def upstream_url(base: str, scope: Scope) -> str:
    # The raw (still percent-encoded) path, so an encoded character reaches the service exactly as sent.
    raw_path: bytes = scope.get("raw_path") or scope["path"].encode()
    query: bytes = scope.get("query_string", b"")
    url = base + raw_path.decode("latin-1")
    return f"{url}?{query.decode('latin-1')}" if query else url


def has_body(scope: Scope) -> bool:
    length = _header(scope, b"content-length")
    return (length is not None and length != "0") or _header(scope, b"transfer-encoding") is not None


def _region_codes(scope: Scope) -> list[str]:
    # As Starlette's QueryParams parses them, so the check sees what a service will see.
    query: bytes = scope.get("query_string", b"")
    if not query:
        return []
    return [value for key, value in parse_qsl(query.decode("latin-1"), keep_blank_values=True) if key == "region_code"]


async def request_body(receive: Receive) -> AsyncIterator[bytes]:
    """The caller's body as it arrives (Starlette's `Request.stream()` without the `Request`)."""
    while True:
        message = await receive()
        if message["type"] == "http.request":
            body: bytes = message.get("body", b"")
            if body:
                yield body
            if not message.get("more_body", False):
                return
        elif message["type"] == "http.disconnect":
            raise ClientDisconnect()


async def _disconnected(receive: Receive) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass


_OBSERVERS: dict[tuple[str, str], Histogram] = {}


def _observe(service: str, outcome: str, seconds: float) -> None:
    # The labelled child, looked up once per (service, outcome) rather than on every request.
    child = _OBSERVERS.get((service, outcome))
    if child is None:
        child = _OBSERVERS[(service, outcome)] = UPSTREAM_SECONDS.labels(service, outcome)
    child.observe(seconds)


class Relay:
    """A service's response sent on unchanged; the caller of `__call__` releases the upstream connection.

    A body with a Content-Length up to `BUFFER_LIMIT` is read whole and sent with the headers in one go (most API
    answers; a failure while reading it is still a clean 502/504). Anything longer or of unknown length is streamed
    chunk by chunk as it arrives, and abandoned as soon as the caller disconnects (as Starlette's
    `StreamingResponse` does), so a roster CSV nobody reads any more is not pulled from the service to the end.
    """

    BUFFER_LIMIT = 64 * 1024

    def __init__(self, upstream: httpx.Response, service: str) -> None:
        self.upstream = upstream
        self.service = service

    async def __call__(self, receive: Receive, send: Send) -> None:
        upstream = self.upstream
        start: Message = {
            "type": "http.response.start",
            "status": upstream.status_code,
            # Raw pairs, not a mapping: repeated fields (Link, Set-Cookie, Vary) must survive.
            "headers": filter_headers(upstream.headers.raw, _DROP_DOWN),
        }
        length = upstream.headers.get("content-length")
        if length is not None and length.isdigit() and int(length) <= self.BUFFER_LIMIT:
            try:
                body = b"".join([chunk async for chunk in upstream.aiter_raw()])
            except UPSTREAM_ERRORS as exc:
                problem = upstream_problem(self.service, exc)
                _log.warning("proxy.upstream_failed", service=self.service, code=problem.instance_code,
                             error=type(exc.__cause__ or exc).__name__)  # fmt: skip
                raise problem from exc
            await send(start)
            await send({"type": "http.response.body", "body": body, "more_body": False})
            return
        await send(start)
        pump = asyncio.ensure_future(self._stream(send))
        gone = asyncio.ensure_future(_disconnected(receive))
        try:
            await asyncio.wait((pump, gone), return_when=asyncio.FIRST_COMPLETED)
        finally:
            pump.cancel()  # a no-op once it has finished
            gone.cancel()
            await asyncio.wait((pump, gone))
        if not pump.cancelled():
            pump.result()  # re-raises a failure of the stream

    async def _stream(self, send: Send) -> None:
        try:
            async for chunk in self.upstream.aiter_raw():
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
        except Exception as exc:
            # Headers are gone already: all we can do is break the connection so the client sees a failure, not a
            # silently truncated body.
            _log.warning("proxy.stream_aborted", service=self.service, error=type(exc).__name__)
            raise
        await send({"type": "http.response.body", "body": b"", "more_body": False})


async def forward(scope: Scope, receive: Receive, send: Send, route: Route, caller: Caller, rt: Runtime) -> None:
    client = scope.get("client")
    client_ip = client[0] if client else ""
    headers = filter_headers(scope["headers"], _DROP_UP)
    headers += [
        (INTERNAL_HEADER_BYTES, rt.internal_tokens.token_for(caller).encode()),
        (b"x-request-id", str(scope.get("state", {}).get("request_id", "")).encode()),
        (b"x-forwarded-proto", scope.get("scheme", "http").encode()),
    ]
    if client_ip:
        # Only the address the gateway itself saw (or uvicorn took from a trusted proxy): services may rely on it.
        headers.append((b"x-forwarded-for", client_ip.encode()))
    traceparent = current_traceparent()  # None unless tracing is on
    if traceparent:
        headers.append((b"traceparent", traceparent.encode()))
    upstream_request = httpx.Request(
        scope["method"],
        upstream_url(rt.upstream_urls[route.service], scope),
        headers=headers,
        content=request_body(receive) if has_body(scope) else None,
        extensions={"timeout": rt.upstream.timeout.as_dict()},  # what the client's `send` would have set
    )
    started = time.perf_counter()
    try:
        upstream = await rt.upstream_transport.handle_async_request(upstream_request)
    except ClientDisconnect as exc:
        raise ClientDisconnected("The client went away while sending the request") from exc
    except UPSTREAM_ERRORS as exc:
        problem = upstream_problem(route.service, exc)
        _observe(route.service, problem.instance_code, time.perf_counter() - started)
        _log.warning("proxy.upstream_failed", service=route.service, code=problem.instance_code,
                     error=type(exc.__cause__ or exc).__name__)  # fmt: skip
        raise problem from exc
    _observe(route.service, "ok", time.perf_counter() - started)
    try:
        await Relay(upstream, route.service)(receive, send)
    finally:
        await upstream.aclose()


class _Proxy:
    """The ASGI app behind every proxy route: authenticate, authorise by the route table, pre-check jurisdiction,
    forward."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        rt = runtime_of(scope)
        state = scope.setdefault("state", {})
        if is_public(scope["path"], scope["method"]):
            await _public(scope, receive, send, rt)
            return
        caller = authenticate(_header(scope, b"authorization"), rt.access_tokens)
        state["principal"] = caller.principal  # for the access audit (gateway.audit)
        route = resolve(scope["path"])
        if route is None:
            raise NotFound("No service answers this path")
        state["route_service"] = route.service  # for the access audit, also when refused below
        route.authorise(caller.principal, scope["path"], scope["method"])
        # An early, cheap refusal; the service checks again on its own data (no trust in the network).
        for region_code in _region_codes(scope):
            ensure_jurisdiction(caller.principal, region_code)
        await forward(scope, receive, send, route, caller, rt)


async def _public(scope: Scope, receive: Receive, send: Send, rt: Runtime) -> None:
    """A public path (gateway.public_paths): no token asked for, even one sent is not used (the page is the same
    for everyone, and a bad token must not make it fail); limited per address; forwarded as the anonymous caller."""
    client = scope.get("client")
    rt.public_limit.admit(client[0] if client else "")
    check_public_query(scope.get("query_string", b""), has_body(scope))
    route = resolve(scope["path"])
    if route is None:  # a public path always lies under a routed prefix (tests/gateway/test_public_page.py)
        raise NotFound("No service answers this path")
    scope["state"]["route_service"] = route.service  # for the access audit (no principal: anonymous)
    await forward(scope, receive, send, route, PUBLIC_CALLER, rt)


class ProxyRoute(StarletteRoute):
    """One routed prefix pattern, answered by the raw ASGI proxy."""

    def __init__(self, path: str) -> None:
        super().__init__(path, endpoint=_PROXY, methods=_METHODS, include_in_schema=False)

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        match, child_scope = super().matches(scope)
        if match is not Match.NONE:
            child_scope["route"] = self  # the access line and the request metrics use its path template
        return match, child_scope


_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
_PROXY = _Proxy()


def install_proxy_routes(app: FastAPI) -> None:
    """One catch-all per routed prefix, most specific first: any other path is a 404 before authentication, and
    the per-prefix route templates keep request metrics grouped by service.

    They go in front of the app's other routes, so a proxied request, by far the most frequent kind, is matched
    first. None of the gateway's own routes (/api/v1/auth, /api/v1/admin, health, docs) lies under a routed prefix;
    one added there would be shadowed by the proxy.
    """
    patterns: dict[str, None] = {}
    for route in sorted(ROUTES, key=lambda r: len(r.prefix), reverse=True):
        base = route.prefix.rstrip("/")
        if not route.prefix.endswith("/"):
            patterns[base] = None
        patterns[base + "/{path:path}"] = None
    app.router.routes[0:0] = [ProxyRoute(pattern) for pattern in patterns]
