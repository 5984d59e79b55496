"""The console's FastAPI app: its pages under `base_path`, its own static files, and the session store."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from console.config import ConsoleSettings
from console.gateway_client import GatewayClient, SignInAgain
from console.pages import (
    admin,
    applications,
    cases,
    complaints,
    deadlines,
    deaths,
    filing,
    grants,
    hits,
    home,
    households,
    ledgers,
    password,
    printing,
    public,
    recoveries,
    rosters,
    sign_in,
    statistics,
)
from console.pages.password import password_page_of
from console.security import SecurityHeaders
from console.sessions import SessionStore
from console.web import MustChangePassword, NeedsSignIn, page, to_sign_in, wanted_page
from libs.kernel.web import RequestContextMiddleware

STATIC = Path(__file__).parent / "static"


def create_app(settings: ConsoleSettings, transport: httpx.AsyncBaseTransport | None = None) -> FastAPI:
    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        timeout = httpx.Timeout(settings.gateway_timeout_seconds, connect=5.0)
        async with httpx.AsyncClient(base_url=settings.gateway_url, timeout=timeout, transport=transport) as http:
            app.state.gateway = GatewayClient(http)
            yield

    app = FastAPI(title="救助工作台", lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
    app.state.settings = settings
    app.state.sessions = SessionStore(idle_seconds=settings.session_idle_seconds, limit=settings.session_limit)
    base = settings.base_path

    pages = APIRouter(prefix=base)
    pages.include_router(sign_in.router)
    pages.include_router(public.router)  # 信息公开: no session
    pages.include_router(home.router)
    pages.include_router(password.router)
    pages.include_router(printing.router)
    pages.include_router(filing.router)  # before applications: /applications/new is not an application id
    pages.include_router(applications.router)
    pages.include_router(cases.router)
    pages.include_router(households.router)
    pages.include_router(rosters.router)
    pages.include_router(admin.router)
    pages.include_router(hits.router)
    pages.include_router(complaints.router)
    pages.include_router(recoveries.router)
    pages.include_router(deadlines.router)
    pages.include_router(deaths.router)
    pages.include_router(grants.router)
    pages.include_router(ledgers.router)
    pages.include_router(statistics.router)  # 统计分析 and the monthly report
    app.include_router(pages)
    app.mount(f"{base}/static", StaticFiles(directory=STATIC), name="static")

    @app.get(base, include_in_schema=False)
    async def without_slash() -> RedirectResponse:
        return RedirectResponse(f"{base}/", status_code=308)

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.exception_handler(NeedsSignIn)
    async def needs_sign_in(request: Request, exc: NeedsSignIn) -> Response:
        return to_sign_in(request, exc.wanted)

    @app.exception_handler(MustChangePassword)
    async def must_change_password(request: Request, exc: MustChangePassword) -> Response:
        return RedirectResponse(password_page_of(base, exc.wanted), status_code=303)

    @app.exception_handler(SignInAgain)
    async def sign_in_again(request: Request, exc: SignInAgain) -> Response:
        return to_sign_in(request, wanted_page(request) if request.method == "GET" else f"{base}/")

    @app.exception_handler(404)
    async def not_found(request: Request, exc: Exception) -> HTMLResponse:
        return page(request, "refused.html", 404, message="没有这个页面")

    @app.exception_handler(httpx.HTTPError)
    async def gateway_unreachable(request: Request, exc: httpx.HTTPError) -> HTMLResponse:
        return page(request, "refused.html", 502, message="暂时无法连接系统服务，请稍后重试")

    app.add_middleware(SecurityHeaders, static_prefix=f"{base}/static/")
    app.add_middleware(RequestContextMiddleware, service="console")
    return app
