"""The HTTP surface every process shares: request ids, an access line per request, health, readiness, metrics."""

from __future__ import annotations

import asyncio
import hmac
import re
import secrets
import time
from collections.abc import Awaitable, Callable, Sequence

import structlog
from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Histogram, generate_latest
from pydantic import SecretStr
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from libs.kernel.errors import InvalidMetricsToken, NotFound, problem_response
from libs.kernel.metrics import HTTP_LATENCY, HTTP_REQUESTS

REQUEST_ID_HEADER = "X-Request-ID"
_log = structlog.get_logger("http")
ReadinessCheck = tuple[str, Callable[[], Awaitable[None]]]


# What `str.isalnum()` accepts (`\w` is defined by it, plus "_"), and "-", ".", ":".
_SANE_REQUEST_ID = re.compile(r"[\w.:-]+")
_REQUEST_ID_KEY = REQUEST_ID_HEADER.lower().encode()
_UNLOGGED_ROUTES = frozenset({"/healthz", "/readyz", "/metrics"})
_MAX_CACHED_LABELS = 1024


def _clean_request_id(value: str | None) -> str:
    # Echo what the caller sent when it is a sane token; never let a header inject into logs.
    if value and len(value) <= 128 and _SANE_REQUEST_ID.fullmatch(value):
        return value
    return secrets.token_hex(16)


class RequestContextMiddleware:
    """Pure ASGI (no BaseHTTPMiddleware): binds the request id, echoes it, logs and measures the request."""

    def __init__(self, app: ASGIApp, service: str, *, log_requests: bool = True) -> None:
        self.app = app
        self.service = service
        self.log_requests = log_requests
        # The labelled metric children, looked up once per label set instead of on every request.
        self._children: dict[tuple[str, str, str], tuple[Counter, Histogram]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        raw = None
        for name, value in scope.get("headers") or ():
            if name == _REQUEST_ID_KEY:
                raw = value  # the last one, as a dict of the headers would keep
        request_id = _clean_request_id(raw.decode("latin-1") if raw else None)
        request_id_header = (b"x-request-id", request_id.encode())
        scope.setdefault("state", {})["request_id"] = request_id
        status = 500
        started_response = False
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status, started_response
            if message["type"] == "http.response.start":
                started_response = True
                status = message["status"]
                message["headers"] = [
                    *[(k, v) for k, v in message.get("headers", ()) if k.lower() != b"x-request-id"],
                    request_id_header,
                ]
            await send(message)

        tokens = structlog.contextvars.bind_contextvars(request_id=request_id)
        try:
            try:
                await self.app(scope, receive, send_with_id)
            except Exception:
                # Handled here, inside the request's context, so the 500 carries the request id in its header and
                # in the log line; past the response start there is nothing left to send.
                if started_response:
                    raise
                _log.exception("request.failed", path=scope.get("path", ""))
                response = problem_response(500, correlation_id=request_id)
                await response(scope, receive, send_with_id)
            finally:
                elapsed = time.perf_counter() - started
                route = scope.get("route")
                route_path = getattr(route, "path", "unmatched")
                method = scope.get("method", "")
                counter, histogram = self._metrics(method, route_path, str(status))
                counter.inc()
                histogram.observe(elapsed)
                if self.log_requests and route_path not in _UNLOGGED_ROUTES:
                    # The path template, never the query string: queries may carry personal data.
                    _log.info(
                        "http.request",
                        method=method,
                        route=route_path,
                        status=status,
                        duration_ms=round(elapsed * 1000, 2),
                    )
        finally:
            structlog.contextvars.reset_contextvars(**tokens)

    def _metrics(self, method: str, route: str, status: str) -> tuple[Counter, Histogram]:
        key = (method, route, status)
        children = self._children.get(key)
        if children is None:
            children = (
                HTTP_REQUESTS.labels(self.service, method, route, status),
                HTTP_LATENCY.labels(self.service, method, route),
            )
            if len(self._children) < _MAX_CACHED_LABELS:  # bounded: route templates, not raw paths, but still
                self._children[key] = children
        return children


def add_health_routes(app: FastAPI, checks: Sequence[ReadinessCheck], *, metrics_token: SecretStr | None) -> None:
    """`/healthz` and `/readyz` for the probes, and `/metrics` for Prometheus.

    `/metrics` tells an outsider the routes, their traffic and the error rates, so it answers only a scraper holding
    `metrics_token` (`Authorization: Bearer <token>`), and is not there at all (404) when none is configured.
    """
    expected = f"Bearer {metrics_token.get_secret_value()}".encode() if metrics_token is not None else None

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        """Alive: the process answers."""
        return {"status": "ok"}

    @app.get("/readyz", include_in_schema=False)
    async def readyz() -> JSONResponse:
        """Ready: every dependency (database, broker) answers."""

        async def run(check: Callable[[], Awaitable[None]]) -> str:
            try:
                await check()
                return "ok"
            except Exception as exc:
                return f"unavailable: {type(exc).__name__}"

        # Concurrently: one slow dependency must not make the whole probe time out.
        outcomes = await asyncio.gather(*(run(check) for _, check in checks))
        results = {name: outcome for (name, _), outcome in zip(checks, outcomes, strict=True)}
        ready = all(v == "ok" for v in results.values())
        return JSONResponse(
            {"status": "ready" if ready else "not_ready", "checks": results}, status_code=200 if ready else 503
        )

    @app.get("/metrics", include_in_schema=False)
    async def metrics(request: Request) -> Response:
        if expected is None:
            raise NotFound("Not found")
        given = request.headers.get("authorization", "").encode("latin-1", "replace")
        if not hmac.compare_digest(given, expected):
            raise InvalidMetricsToken(
                "The metrics token is missing or wrong", headers={"WWW-Authenticate": 'Bearer realm="metrics"'}
            )
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
