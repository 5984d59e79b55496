"""The gateway's composition root: `uvicorn --factory gateway.main:create_app`, or `python -m gateway serve`."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

import structlog
from fastapi import FastAPI

from gateway.api_document import install_api_docs
from gateway.audit.access import AuditMiddleware, AuditWriter
from gateway.audit.router import audit_router
from gateway.auth.admin_router import admin_router
from gateway.auth.callback_delivery import CallbackDeliveries
from gateway.auth.passwords import SecretHasher
from gateway.auth.rate_limit import LoginThrottle
from gateway.auth.revocation import Revocations
from gateway.auth.router import auth_router
from gateway.auth.sessions import SessionPolicy
from gateway.auth.tokens import InternalTokenCache, access_tokens
from gateway.catalogue import catalogue_router
from gateway.clock.delivery import ClockDeliveries
from gateway.clock.router import clock_router
from gateway.config import GatewaySettings
from gateway.console_route import install_console_routes
from gateway.db import SCHEMA
from gateway.health import UpstreamReadiness
from gateway.partner_openapi import partner_openapi_router
from gateway.proxy import build_upstream, install_proxy_routes
from gateway.public_paths import PublicRateLimit
from gateway.regions.delivery import RegionNameDeliveries
from gateway.regions.router import router as regions_router
from gateway.routes import STREAMED_PREFIXES
from gateway.runtime import Runtime
from libs.kernel.api_docs import docs_routes
from libs.kernel.auth import internal_tokens
from libs.kernel.db import Database
from libs.kernel.errors import install_error_handlers
from libs.kernel.input_guard import InputGuardMiddleware, body_limit
from libs.kernel.pii import PiiVault
from libs.kernel.tracing import TracingMiddleware, configure_tracing
from libs.kernel.web import RequestContextMiddleware, add_health_routes

_log = structlog.get_logger("gateway")
_PRUNE_EVERY_SECONDS = 300.0


async def _prune_login_failures(throttle: LoginThrottle) -> None:
    while True:
        await asyncio.sleep(_PRUNE_EVERY_SECONDS)
        try:
            await throttle.prune()
        except Exception:
            _log.exception("login_failures.prune_failed")


def create_app(settings: GatewaySettings | None = None) -> FastAPI:
    s = settings or GatewaySettings()
    # httpx logs every upstream URL at INFO, query string included, and queries can carry identity numbers and
    # names; the access line of RequestContextMiddleware (path template only) is the record of a request.
    logging.getLogger("httpx").setLevel(logging.WARNING)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        db = Database(s, SCHEMA)
        upstream, upstream_transport = build_upstream(s)
        audit = AuditWriter(
            db,
            batch_size=s.audit_batch_size,
            interval_seconds=s.audit_flush_interval_seconds,
            queue_limit=s.audit_queue_limit,
            reserve_timeout_seconds=s.audit_reserve_timeout_seconds,
        )
        throttle = LoginThrottle(
            db,
            limit=s.login_failure_limit,
            window_seconds=s.login_failure_window_seconds,
            account_limit=s.account_failure_limit,
            account_daily_limit=s.account_failure_daily_limit,
        )
        revocations = Revocations(
            db, token_ttl_seconds=s.access_token_ttl_seconds, poll_seconds=s.revocation_poll_seconds
        )
        await revocations.load()
        vault = PiiVault(s.pii_key.get_secret_value())
        signer = internal_tokens(s)
        callbacks = CallbackDeliveries(
            db=db,
            http=upstream,
            complaints_url=s.upstreams()["complaints"],
            signer=signer,
            vault=vault,
            retry_min_seconds=s.callback_retry_min_seconds,
            retry_max_seconds=s.callback_retry_max_seconds,
            poll_seconds=s.callback_poll_seconds,
        )
        clock = ClockDeliveries(
            db=db,
            http=upstream,
            upstreams=s.upstreams(),
            signer=signer,
            environment=s.environment,
            poll_seconds=s.clock_delivery_seconds,
        )
        region_names = RegionNameDeliveries(
            db=db, http=upstream, upstreams=s.upstreams(), signer=signer, poll_seconds=s.clock_delivery_seconds
        )
        app.state.db = db  # libs.kernel.db.DbSession reads it from here
        app.state.audit = audit  # gateway.audit.AuditMiddleware reads it from here
        app.state.runtime = Runtime(
            settings=s,
            db=db,
            hasher=SecretHasher(),
            access_tokens=access_tokens(s, revocations.current),
            internal_tokens=InternalTokenCache(signer),
            throttle=throttle,
            revocations=revocations,
            sessions=SessionPolicy(s.refresh_token_ttl_seconds, s.session_max_seconds),
            upstream=upstream,
            upstream_transport=upstream_transport,
            upstream_urls=s.upstreams(),
            audit=audit,
            vault=vault,
            callbacks=callbacks,
            clock=clock,
            region_names=region_names,
            public_limit=PublicRateLimit(s.public_rate_limit, s.public_rate_window_seconds),
        )
        audit.start()
        revocations.start()
        pruner = asyncio.create_task(_prune_login_failures(throttle))
        stop_callbacks = asyncio.Event()
        callback_loop = asyncio.create_task(callbacks.run(stop_callbacks))
        # The clock and the names reach the services in the background unless turned off (tests of the proxy).
        deliveries = [clock.run(stop_callbacks), region_names.run(stop_callbacks)] if s.background_delivery else []
        delivery_loops = [asyncio.create_task(loop) for loop in deliveries]
        _log.info("gateway.started", upstreams=s.upstreams())
        try:
            yield
        finally:
            stop_callbacks.set()
            await callback_loop
            for loop in delivery_loops:
                await loop
            pruner.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await pruner
            await revocations.stop()
            await audit.stop()  # after the server stopped taking requests: every access is written
            del app.state.audit
            await upstream.aclose()
            await db.dispose()

    app = FastAPI(
        title="Jiuzhu API gateway",
        description="Authentication, routing and access audit in front of the Jiuzhu services.",
        lifespan=lifespan,
        # The gateway's own description where descriptions are served (libs.kernel.api_docs); /docs and /redoc
        # read the merged one (gateway.api_document).
        docs_url=None,
        redoc_url=None,
        openapi_url=docs_routes(s)["openapi_url"],
    )
    if s.docs_exposed:
        install_api_docs(app)

    async def database_ready() -> None:
        await app.state.db.ping()

    readiness = UpstreamReadiness(lambda: app.state.runtime.upstream, s.upstreams(), s.readiness_timeout_seconds)
    add_health_routes(app, [("database", database_ready), *readiness.checks()], metrics_token=s.metrics_token)
    install_error_handlers(app)
    app.include_router(auth_router)
    app.include_router(admin_router)
    app.include_router(clock_router)
    app.include_router(audit_router)
    app.include_router(partner_openapi_router())
    app.include_router(catalogue_router)
    app.include_router(regions_router)
    install_proxy_routes(app)
    if s.console_url:
        install_console_routes(app)
    # Innermost: an oversized or deep body, or a NUL, is refused before authentication and before the gateway's own
    # tables see it (sign-in, admin) or it is proxied; the audit still records the refusal.
    app.add_middleware(InputGuardMiddleware, limit=body_limit(STREAMED_PREFIXES, s.max_body_bytes))
    # Added last = outermost: the request id exists before the audit (inside it) records the request.
    app.add_middleware(AuditMiddleware)
    app.add_middleware(RequestContextMiddleware, service="gateway")
    if configure_tracing("gateway", s.otel_exporter_otlp_endpoint):
        # The gateway starts each trace: a caller outside names none that the services would join.
        app.add_middleware(TracingMiddleware, service="gateway", trust_incoming=False)
    return app
