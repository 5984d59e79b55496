"""The staff console behind the gateway: `/console/...` is passed to the console process, and `/` leads there.

Not an API route: there is no bearer token to check (the console signs people in itself, through
`/api/v1/auth/token`, and keeps their tokens on its side), and the browser's cookies travel both ways, since the
session cookie is the console's. What the gateway vouches for it sets itself (request id, the caller's address and
scheme), so a browser cannot claim another address to the console's sign-in.
"""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from fastapi.responses import RedirectResponse
from starlette.requests import ClientDisconnect
from starlette.routing import Route as StarletteRoute
from starlette.types import Receive, Scope, Send

from gateway.auth.errors import ClientDisconnected
from gateway.proxy import HOP_BY_HOP, Relay, filter_headers, has_body, request_body, upstream_problem, upstream_url
from gateway.runtime import runtime_of
from gateway.upstream_transport import UPSTREAM_ERRORS
from libs.kernel.auth import INTERNAL_HEADER

PREFIX = "/console"
_DROP_UP = HOP_BY_HOP | {
    "host", "authorization", INTERNAL_HEADER.lower(), "x-request-id",
    "x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "forwarded", "x-real-ip",
}  # fmt: skip
_METHODS = ["GET", "HEAD", "POST"]


class _ToConsole:
    """A raw ASGI endpoint (as gateway.proxy's), so the body streams through instead of being read here."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await _to_console(scope, receive, send)


async def _to_console(scope: Scope, receive: Receive, send: Send) -> None:
    rt = runtime_of(scope)
    base = rt.settings.console_url
    assert base is not None, "installed only when GATEWAY_CONSOLE_URL is set"
    scope.setdefault("state", {})["route_service"] = "console"  # for the access audit
    client = scope.get("client")
    headers = filter_headers(scope["headers"], _DROP_UP)
    headers += [
        (b"x-request-id", str(scope.get("state", {}).get("request_id", "")).encode()),
        (b"x-forwarded-proto", scope.get("scheme", "http").encode()),
    ]
    if client:
        headers.append((b"x-forwarded-for", str(client[0]).encode()))
    request = httpx.Request(
        scope["method"],
        upstream_url(base.rstrip("/"), scope),
        headers=headers,
        content=request_body(receive) if has_body(scope) else None,
        extensions={"timeout": rt.upstream.timeout.as_dict()},
    )
    try:
        upstream = await rt.upstream_transport.handle_async_request(request)
    except ClientDisconnect as exc:
        raise ClientDisconnected("The client went away while sending the request") from exc
    except UPSTREAM_ERRORS as exc:
        raise upstream_problem("console", exc) from exc
    try:
        await Relay(upstream, "console")(receive, send)
    finally:
        await upstream.aclose()


def install_console_routes(app: FastAPI) -> None:
    """`/console` and everything below it to the console; `/` redirects to its home (我的待办)."""
    routes = [StarletteRoute(path, endpoint=_ToConsole(), methods=_METHODS, include_in_schema=False)
              for path in (PREFIX, PREFIX + "/{path:path}")]  # fmt: skip
    app.router.routes[0:0] = routes

    @app.get("/", include_in_schema=False)
    async def home() -> RedirectResponse:
        return RedirectResponse(f"{PREFIX}/", status_code=307)
