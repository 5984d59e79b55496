"""Settings read from the environment, once, in each process's composition root.

Each service reads `<SERVICE>_<NAME>` first, then `JIUZHU_<NAME>`, then plain `<NAME>` (so one `DATABASE_URL` or
`KAFKA_BOOTSTRAP_SERVERS` serves a whole local stack while production can give every service its own).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, ClassVar, Self, TypeVar

from pydantic import Field, SecretStr, ValidationError, model_validator
from pydantic_settings import BaseSettings, EnvSettingsSource, PydanticBaseSettingsSource, SettingsConfigDict

from libs.kernel.keyring import MIN_SECRET_LENGTH
from libs.kernel.outbound import OutboundPolicy


class Environment(StrEnum):
    """Where a process runs. Unset means production: a deployment that forgets to say gets the strict rules, and
    only the local and test stacks (libs.devstack, tests) say otherwise."""

    local = "local"
    test = "test"
    production = "production"


class Role(StrEnum):
    """What a process runs: the HTTP API, the worker (relay, consumers, schedules), or both."""

    api = "api"
    worker = "worker"
    all = "all"


class BaseServiceSettings(BaseSettings):
    prefix: ClassVar[str] = "JIUZHU_"
    model_config = SettingsConfigDict(extra="ignore", frozen=True)

    service_name: str = "jiuzhu"
    environment: Environment = Environment.production
    database_url: str = "postgresql://postgres@127.0.0.1:5432/jiuzhu"
    db_pool_size: int = Field(default=10, ge=1)
    kafka_bootstrap_servers: str = "127.0.0.1:9092"
    kafka_topic_prefix: str = ""
    # Secrets have no defaults anywhere (ARCHITECTURE.md decision 6): a process without them refuses to start. The
    # local and test stacks generate their own (libs.devstack.secrets) and hand them to the processes they start.
    internal_token_secret: SecretStr
    # Also accepted when verifying, during a rotation (libs.kernel.keyring); never used to sign.
    internal_token_secondary_secret: SecretStr | None = None
    internal_token_ttl_seconds: int = Field(default=300, ge=10)
    pii_key: SecretStr
    log_level: str = "INFO"
    # Whether partners' callback URLs may point at private, loopback or link-local addresses (libs.kernel.outbound):
    # only for a platform on the same closed network, and for the test stack's own platforms.
    outbound_allow_private: bool = False
    # The largest request body an endpoint reads (libs.kernel.input_guard); streamed feeds have none.
    max_body_bytes: int = Field(default=4 * 1024 * 1024, ge=1024, le=64 * 1024 * 1024)
    relay_batch_size: int = Field(default=500, ge=1, le=10_000)
    consumer_max_retries: int = Field(default=5, ge=0)
    # Measured: the development broker answers an empty fetch only when this wait runs out (no early return on new
    # data), so it bounds event latency; Apache Kafka returns as soon as data arrives and can take a larger value.
    consumer_fetch_max_wait_ms: int = Field(default=10, ge=1, le=5000)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (
            init_settings,
            EnvSettingsSource(settings_cls, env_prefix=cls.prefix),
            EnvSettingsSource(settings_cls, env_prefix="JIUZHU_"),
            EnvSettingsSource(settings_cls, env_prefix=""),
        )

    @model_validator(mode="after")
    def _refuse_weak_secrets(self) -> Self:
        for name in ("internal_token_secret", "internal_token_secondary_secret", "pii_key"):
            secret: SecretStr | None = getattr(self, name)
            if secret is not None and len(secret.get_secret_value()) < MIN_SECRET_LENGTH:
                raise ValueError(f"{name} needs at least {MIN_SECRET_LENGTH} characters")
        if self.internal_token_secret == self.pii_key:
            raise ValueError("internal_token_secret and pii_key must differ")
        return self

    def outbound_policy(self) -> OutboundPolicy:
        return OutboundPolicy(
            require_https=self.environment is Environment.production, allow_private=self.outbound_allow_private
        )

    @property
    def async_database_url(self) -> str:
        """The URL for SQLAlchemy's asyncpg dialect, whatever form the operator gave."""
        url = self.database_url
        for scheme in ("postgresql+asyncpg://", "postgresql://", "postgres://"):
            if url.startswith(scheme):
                return "postgresql+asyncpg://" + url[len(scheme) :]
        return url

    @property
    def plain_database_url(self) -> str:
        """The URL for raw asyncpg connections (LISTEN/NOTIFY, COPY)."""
        return self.async_database_url.replace("postgresql+asyncpg://", "postgresql://", 1)

    def topic(self, event_type: str) -> str:
        return f"{self.kafka_topic_prefix}{event_type}"


class ServiceSettings(BaseServiceSettings):
    """Settings of one domain service; subclasses set `prefix` and `service_name`."""

    role: Role = Role.all
    host: str = "127.0.0.1"
    port: int = Field(default=8100, ge=0, le=65535)

    def with_overrides(self, **values: Any) -> Self:
        """A copy with `values` replaced, validated like any other source (types, production secrets)."""
        return self.model_validate({**self.model_dump(), **values})


SettingsT = TypeVar("SettingsT", bound=BaseServiceSettings)


def load_settings(cls: type[SettingsT], **overrides: Any) -> SettingsT:
    """`cls()` (with command-line `overrides`) for a process's composition root: a missing or invalid setting ends
    the process with a plain message.

    Pydantic's own message repeats the input, and a settings object's input is its secrets: only the names and the
    rule broken are printed, never a value.
    """
    try:
        settings = cls()
        return settings.model_validate({**settings.model_dump(), **overrides}) if overrides else settings
    except ValidationError as exc:
        lines = []
        for error in exc.errors(include_input=False, include_url=False):
            name = ".".join(str(part) for part in error["loc"])
            variable = f"{cls.prefix}{name.upper()} or JIUZHU_{name.upper()}" if name else "settings"
            lines.append(f"  {variable}: {error['msg']}")
        raise SystemExit("This process cannot start; set:\n" + "\n".join(lines)) from None
