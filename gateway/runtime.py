"""What a running gateway process holds (`app.state.runtime`), built once in the lifespan of `create_app`."""

from __future__ import annotations

from dataclasses import dataclass

import httpx
from fastapi import Request
from starlette.types import Scope

from gateway.audit.access import AuditWriter
from gateway.auth.callback_delivery import CallbackDeliveries
from gateway.auth.passwords import SecretHasher
from gateway.auth.rate_limit import LoginThrottle
from gateway.auth.revocation import Revocations
from gateway.auth.sessions import SessionPolicy
from gateway.auth.tokens import AccessTokens, InternalTokenCache
from gateway.clock.delivery import ClockDeliveries
from gateway.config import GatewaySettings
from gateway.public_paths import PublicRateLimit
from gateway.regions.delivery import RegionNameDeliveries
from libs.kernel.db import Database
from libs.kernel.pii import PiiVault


@dataclass
class Runtime:
    settings: GatewaySettings
    db: Database
    hasher: SecretHasher
    access_tokens: AccessTokens
    internal_tokens: InternalTokenCache
    throttle: LoginThrottle
    revocations: Revocations
    sessions: SessionPolicy
    upstream: httpx.AsyncClient
    upstream_transport: httpx.AsyncBaseTransport  # the client's own transport (see gateway.proxy.build_upstream)
    upstream_urls: dict[str, str]  # service name → base URL, computed once rather than per request
    audit: AuditWriter
    vault: PiiVault  # the gateway's own key: seals a hotline secret while it waits for complaints
    callbacks: CallbackDeliveries
    clock: ClockDeliveries  # the training clock's deliveries to the services (gateway.clock)
    region_names: RegionNameDeliveries  # the region names' deliveries to the services (gateway.regions.delivery)
    public_limit: PublicRateLimit  # the public page's requests per address (gateway.public_paths)


def get_runtime(request: Request) -> Runtime:
    return runtime_of(request.scope)


def runtime_of(scope: Scope) -> Runtime:
    """The runtime from an ASGI scope (`scope["app"]` is the gateway's FastAPI app), for raw ASGI routes."""
    runtime = getattr(scope["app"].state, "runtime", None)
    assert isinstance(runtime, Runtime), "the gateway lifespan must have run (app.state.runtime)"
    return runtime
