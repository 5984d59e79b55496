"""Gateway settings: read from `GATEWAY_*`, then `JIUZHU_GATEWAY_*`, then `JIUZHU_*`, then plain names.

The extra `JIUZHU_GATEWAY_*` spelling exists because the local stack documents `JIUZHU_GATEWAY_PORT`
(CONTRACTS.md §1); with it that variable reaches the `port` field without an alias that would also swallow `PORT`.
"""

from __future__ import annotations

from typing import ClassVar, Self

from pydantic import Field, SecretStr, model_validator

from libs.kernel.keyring import MIN_SECRET_LENGTH
from libs.kernel.settings import BaseServiceSettings


class GatewaySettings(BaseServiceSettings):
    prefix: ClassVar[str] = "GATEWAY_"

    service_name: str = "gateway"
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)
    # No default (ARCHITECTURE.md decision 6); the secondary is also accepted while a rotation is under way.
    jwt_secret: SecretStr
    jwt_secondary_secret: SecretStr | None = None
    access_token_ttl_seconds: int = Field(default=3600, ge=60, le=86_400)
    intake_url: str = "http://127.0.0.1:8101"
    casework_url: str = "http://127.0.0.1:8102"
    matching_url: str = "http://127.0.0.1:8103"
    complaints_url: str = "http://127.0.0.1:8104"
    disbursement_url: str = "http://127.0.0.1:8105"
    upstream_timeout_seconds: float = Field(default=30.0, gt=0)
    upstream_max_connections: int = Field(default=500, ge=1)
    # How long a pooled connection to a service may sit idle before the gateway retires it: well below the services'
    # own keep-alive (`http_keepalive_seconds`, 75), so the gateway never sends a request on a connection the service
    # is closing at that moment (a lost request, a 502).
    upstream_keepalive_seconds: float = Field(default=30.0, gt=0)
    readiness_timeout_seconds: float = Field(default=3.0, gt=0)
    # Failed sign-ins per source address within the window (a township office shares one address: not too few),
    # and per account (username or client id) within the window and within a day (gateway.auth.rate_limit).
    login_failure_limit: int = Field(default=30, ge=1)
    login_failure_window_seconds: int = Field(default=900, ge=1)
    account_failure_limit: int = Field(default=5, ge=1)
    account_failure_daily_limit: int = Field(default=20, ge=1)
    # The public page (gateway.public_paths): requests per address within the window, per gateway process.
    public_rate_limit: int = Field(default=60, ge=1, le=100_000)
    public_rate_window_seconds: int = Field(default=60, ge=1, le=3600)
    # Staff sessions (gateway.auth.sessions): one refresh token lives this long, a whole session at most that long.
    refresh_token_ttl_seconds: int = Field(default=12 * 3600, ge=60, le=7 * 86_400)
    session_max_seconds: int = Field(default=7 * 86_400, ge=60, le=30 * 86_400)
    # How often every replica reads new revocations (gateway.auth.revocation): a cut-off takes at most this long.
    revocation_poll_seconds: float = Field(default=1.0, gt=0, le=30)
    # A new hotline client's callback still to reach complaints (gateway.auth.callback_delivery): looked for this
    # often, retried after the first figure, doubling up to the second.
    callback_poll_seconds: float = Field(default=2.0, gt=0, le=60)
    callback_retry_min_seconds: float = Field(default=2.0, gt=0)
    callback_retry_max_seconds: float = Field(default=300.0, gt=0)
    # How often every gateway process delivers the training clock again to a service that has not acknowledged its
    # current version (gateway.clock.delivery): the longest a service that was down runs on an old offset once back.
    clock_delivery_seconds: float = Field(default=2.0, gt=0, le=60)
    # Whether this process delivers the training clock and region names to the services in the background (off only
    # in tests of the proxy that count what reaches a stub service; a change made through the API is still delivered
    # at once by the request that made it).
    background_delivery: bool = True
    audit_flush_interval_seconds: float = Field(default=0.5, gt=0)
    audit_batch_size: int = Field(default=500, ge=1, le=10_000)
    # Audit rows reserved or queued but not yet written; a request waits this long for a place, then is refused (503).
    audit_queue_limit: int = Field(default=100_000, ge=1)
    audit_reserve_timeout_seconds: float = Field(default=5.0, gt=0, le=60)
    # Peers whose X-Forwarded-For uvicorn may believe (a load balancer's address, comma-separated, or "*").
    # Empty: believe nobody, so a caller cannot pick its own source address and dodge the login limit.
    trusted_proxies: str = ""
    # The staff console's process (`python -m console serve`); unset, `/console/` is not served.
    console_url: str | None = Field(default=None, pattern=r"^https?://")
    # Read by `python -m gateway ensure-admin` (JIUZHU_ADMIN_PASSWORD, CONTRACTS.md §1).
    admin_password: SecretStr | None = None

    @classmethod
    def env_prefixes(cls) -> tuple[str, ...]:
        own, *shared = super().env_prefixes()
        return (own, "JIUZHU_GATEWAY_", *shared)

    @model_validator(mode="after")
    def _refuse_weak_jwt_secret(self) -> Self:
        internal = {self.internal_token_secret, self.internal_token_secondary_secret}
        for secret in (self.jwt_secret, self.jwt_secondary_secret):
            if secret is None:
                continue
            if len(secret.get_secret_value()) < MIN_SECRET_LENGTH:
                raise ValueError(f"jwt_secret needs at least {MIN_SECRET_LENGTH} characters")
            # One leaked secret must not forge both kinds of token.
            if secret in internal or secret == self.pii_key:
                raise ValueError("jwt_secret must differ from internal_token_secret and pii_key")
        return self

    def upstreams(self) -> dict[str, str]:
        """Service name → base URL (no trailing slash)."""
        urls = {
            "intake": self.intake_url,
            "casework": self.casework_url,
            "matching": self.matching_url,
            "complaints": self.complaints_url,
            "disbursement": self.disbursement_url,
        }
        return {name: url.rstrip("/") for name, url in urls.items()}
