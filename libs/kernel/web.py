"""The HTTP surface every process shares: request ids, an access line per request, health, readiness, metrics."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence

import structlog
from fastapi import FastAPI, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from libs.kernel.errors import problem_response
from libs.kernel.metrics import HTTP_LATENCY, HTTP_REQUESTS

REQUEST_ID_HEADER = "X-Request-ID"
_log = structlog.get_logger("http")
ReadinessCheck = tuple[str, Callable[[], Awaitable[None]]]


def _clean_request_id(value: str | None) -> str:
    # Echo what the caller sent when it is a sane token; never let a header inject into logs.
    if value and len(value) <= 128 and all(c.isalnum() or c in "-_.:" for c in value):
        return value
    return uuid.uuid4().hex


class RequestContextMiddleware:
    """Pure ASGI (no BaseHTTPMiddleware): binds the request id, echoes it, logs and measures the request."""

    def __init__(self, app: ASGIApp, service: str, *, log_requests: bool = True) -> None:
        self.app = app
        self.service = service
        self.log_requests = log_requests

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        raw = headers.get(REQUEST_ID_HEADER.lower().encode())
        request_id = _clean_request_id(raw.decode("latin-1") if raw else None)
        scope.setdefault("state", {})["request_id"] = request_id
        status = 500
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [
                    *[(k, v) for k, v in message["headers"] if k.lower() != b"x-request-id"],
                    (b"x-request-id", request_id.encode()),
                ]
            await send(message)

        started_response = False

        async def send_tracking(message: Message) -> None:
            nonlocal started_response
            started_response = started_response or message["type"] == "http.response.start"
            await send_with_id(message)

        with structlog.contextvars.bound_contextvars(request_id=request_id):
            try:
                await self.app(scope, receive, send_tracking)
            except Exception:
                # Handled here, inside the request's context, so the 500 carries the request id in its header and
                # in the log line; past the response start there is nothing left to send.
                if started_response:
                    raise
                _log.exception("request.failed", path=scope.get("path", ""))
                response = problem_response(500, correlation_id=request_id)
                await response(scope, receive, send_tracking)
            finally:
                elapsed = time.perf_counter() - started
                route = scope.get("route")
                route_path = getattr(route, "path", "unmatched")
                method = scope.get("method", "")
                HTTP_REQUESTS.labels(self.service, method, route_path, str(status)).inc()
                HTTP_LATENCY.labels(self.service, method, route_path).observe(elapsed)
                if self.log_requests and route_path not in ("/healthz", "/readyz", "/metrics"):
                    # The path template, never the query string: queries may carry personal data.
                    _log.info(
                        "http.request",
                        method=method,
                        route=route_path,
                        status=status,
                        duration_ms=round(elapsed * 1000, 2),
                    )


def add_health_routes(app: FastAPI, checks: Sequence[ReadinessCheck]) -> None:
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
    async def metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
