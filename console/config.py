"""The console's settings (`CONSOLE_*`): where the gateway is, and how long a session lives."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class ConsoleSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CONSOLE_", extra="ignore", frozen=True)

    # The gateway the console calls on the person's behalf; no default: a console pointed nowhere must not start.
    gateway_url: str = Field(min_length=8, max_length=2048, pattern=r"^https?://")
    host: str = "127.0.0.1"
    port: int = Field(default=8010, ge=0, le=65535)
    # Where the gateway mounts the console: links and the cookie's path are under it.
    base_path: str = Field(default="/console", pattern=r"^/[a-z]+$")
    # Off only for plain-HTTP development (`make run` on 127.0.0.1); a browser then still sends the cookie.
    cookie_secure: bool = True
    # A session unused this long ends (the person signs in again and comes back to the page they wanted).
    session_idle_seconds: int = Field(default=1800, ge=60, le=8 * 3600)
    # Sessions held at once; the least recently used goes first when it is full (a flood of sign-ins cannot grow it).
    session_limit: int = Field(default=10_000, ge=10, le=1_000_000)
    gateway_timeout_seconds: float = Field(default=30.0, gt=0, le=300)
    # The gateway's address, whose X-Forwarded-For (the person's address) the console may believe and pass on to the
    # sign-in, so the per-address login limit counts people; empty believes nobody.
    trusted_proxies: str = ""
    log_level: str = "INFO"
