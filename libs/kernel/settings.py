"""Settings read from the environment, once, in each process's composition root.

Each service reads `<SERVICE>_<NAME>` first, then `JIUZHU_<NAME>`, then plain `<NAME>` (so one `DATABASE_URL` or
`KAFKA_BOOTSTRAP_SERVERS` serves a whole local stack while production can give every service its own).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, ClassVar, Self, TypeVar

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, EnvSettingsSource, PydanticBaseSettingsSource, SettingsConfigDict

from libs.kernel.keyring import MIN_SECRET_LENGTH
from libs.kernel.outbound import OutboundPolicy


class Environment(StrEnum):
    """Where a process runs. Unset means production: a deployment that forgets to say gets the strict rules, and
    only the local and test stacks (libs.devstack, tests) say otherwise."""

    local = "local"
    test = "test"
    production = "production"


class ConsumerWake(StrEnum):
    nudge = "nudge"
    broker = "broker"


class Role(StrEnum):
    """What a process runs: the HTTP API, the worker (relay, consumers, schedules), or both."""

    api = "api"
    worker = "worker"
    all = "all"


class KafkaSecurityProtocol(StrEnum):
    """How a process talks to Kafka: plain or TLS, with or without SASL authentication."""

    PLAINTEXT = "PLAINTEXT"
    SSL = "SSL"
    SASL_PLAINTEXT = "SASL_PLAINTEXT"
    SASL_SSL = "SASL_SSL"


class KafkaSaslMechanism(StrEnum):
    PLAIN = "PLAIN"
    SCRAM_SHA_256 = "SCRAM-SHA-256"
    SCRAM_SHA_512 = "SCRAM-SHA-512"


class DatabaseSslMode(StrEnum):
    """libpq's names: `require` encrypts without checking the server, `verify-ca` also checks its certificate against
    the root certificate, `verify-full` also checks that the certificate names the host connected to."""

    disable = "disable"
    require = "require"
    verify_ca = "verify-ca"
    verify_full = "verify-full"


_SASL = frozenset({KafkaSecurityProtocol.SASL_PLAINTEXT, KafkaSecurityProtocol.SASL_SSL})
_KAFKA_TLS = frozenset({KafkaSecurityProtocol.SSL, KafkaSecurityProtocol.SASL_SSL})
_OPTIONAL_CONNECTION_FIELDS = (
    "kafka_sasl_mechanism",
    "kafka_sasl_username",
    "kafka_sasl_password",
    "kafka_ssl_cafile",
    "kafka_ssl_certfile",
    "kafka_ssl_keyfile",
    "kafka_ssl_key_password",
    "database_ssl_mode",
    "database_ssl_root_cert",
    "metrics_token",
    "expose_docs",
    "otel_exporter_otlp_endpoint",
)
MIN_METRICS_TOKEN_LENGTH = 16


class BaseServiceSettings(BaseSettings):
    prefix: ClassVar[str] = "JIUZHU_"
    model_config = SettingsConfigDict(extra="ignore", frozen=True)

    service_name: str = "jiuzhu"
    environment: Environment = Environment.production
    database_url: str = "postgresql://postgres@127.0.0.1:5432/jiuzhu"
    db_pool_size: int = Field(default=10, ge=1)
    kafka_bootstrap_servers: str = "127.0.0.1:9092"
    kafka_topic_prefix: str = ""
    # Applied to every Kafka client a process creates (libs.kernel.connections): the relay's producer, the consumers,
    # the readiness probe's admin client and the devstack's topic creation. The defaults suit a broker on a closed
    # network; SASL_SSL with a SCRAM mechanism is what a shared cluster wants.
    kafka_security_protocol: KafkaSecurityProtocol = KafkaSecurityProtocol.PLAINTEXT
    kafka_sasl_mechanism: KafkaSaslMechanism | None = None
    kafka_sasl_username: str | None = None
    kafka_sasl_password: SecretStr | None = None
    # The CA bundle the brokers' certificates are checked against (unset: the system's); a client certificate and
    # key only if the brokers ask for one (mutual TLS).
    kafka_ssl_cafile: str | None = None
    kafka_ssl_certfile: str | None = None
    kafka_ssl_keyfile: str | None = None
    kafka_ssl_key_password: SecretStr | None = None
    # TLS to PostgreSQL, for the SQLAlchemy engines and the raw asyncpg connections alike (libs.kernel.connections).
    # Unset: whatever `database_url` says (`?sslmode=`), else asyncpg's default (TLS if the server offers it, without
    # checking its certificate). The root certificate is the CA bundle for verify-ca/verify-full (unset: the system's).
    database_ssl_mode: DatabaseSslMode | None = None
    database_ssl_root_cert: str | None = None
    # The bearer token `/metrics` asks for (libs.kernel.web); unset, `/metrics` is not served at all (404).
    metrics_token: SecretStr | None = None
    # How long the HTTP server keeps an idle client connection open. Whatever pools connections to this process must
    # retire them well before that, or a request sent just as the server closes the connection is lost (a 502): the
    # gateway's `upstream_keepalive_seconds` (30) for the services, a load balancer's idle timeout (often 60) for the
    # gateway. Hence 75, above both.
    http_keepalive_seconds: int = Field(default=75, ge=1, le=3600)
    # Whether /docs and /openapi.json are served to anyone (libs.kernel.api_docs). Unset: everywhere but production.
    expose_docs: bool | None = None
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
    # Partitions a consumer handles side by side (libs.kernel.consumer: lanes by partition number, so a household's
    # events stay in order); a worker's consumers together hold at most `db_pool_size` handling transactions.
    consumer_lanes: int = Field(default=4, ge=1, le=64)
    # Measured: the development broker answers an empty fetch only when this wait runs out (no early return on new
    # data), so it bounds event latency; Apache Kafka returns as soon as data arrives and can take a larger value.
    consumer_fetch_max_wait_ms: int = Field(default=10, ge=1, le=5000)
    # How an idle consumer waits for the next event (libs.kernel.nudges). `nudge` (the development broker): it pauses
    # its partitions after `consumer_idle_after_seconds` without a message and is woken by the publishing relay's
    # NOTIFY, or looks by itself every `consumer_idle_check_seconds`. `broker` (Apache Kafka, which answers a fetch as
    # soon as data arrives): it waits in the fetch itself, `consumer_fetch_max_wait_ms` (500 in the deploy files).
    consumer_wake: ConsumerWake = ConsumerWake.nudge
    consumer_idle_after_seconds: float = Field(default=0.5, gt=0, le=60)
    consumer_idle_check_seconds: float = Field(default=15.0, gt=0, le=300)
    # How often a worker samples its gauges (libs.kernel.gauges): backlogs from a few indexed counts, consumer lag
    # from the broker. Sampled on this clock, not per scrape, so scraping often costs the database nothing.
    gauge_sample_seconds: float = Field(default=30.0, ge=1, le=3600)
    # How long sent outbox rows and inbox rows are kept (libs.kernel.pruning): the replay window, since
    # `replay --since` can go back no further than the rows that are kept (docs/operator-guide.md, replaying events).
    messaging_retention_days: int = Field(default=30, ge=1, le=3650)
    # Rows deleted per transaction by the pruning job, and how often it runs.
    prune_batch_size: int = Field(default=5_000, ge=1, le=100_000)
    prune_interval_seconds: float = Field(default=3600.0, ge=1, le=86_400)
    # Where spans go over OTLP/HTTP (libs.kernel.tracing); unset, tracing is off: no SDK, the API's no-op tracer.
    # The standard variable OTEL_EXPORTER_OTLP_ENDPOINT is read too.
    otel_exporter_otlp_endpoint: str | None = None

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, *(EnvSettingsSource(settings_cls, env_prefix=p) for p in cls.env_prefixes()))

    @classmethod
    def env_prefixes(cls) -> tuple[str, ...]:
        """The environment's spellings of a setting, the first found wins: the process's own, the stack's, plain."""
        return (cls.prefix, "JIUZHU_", "")

    @field_validator(*_OPTIONAL_CONNECTION_FIELDS, mode="before")
    @classmethod
    def _empty_is_unset(cls, value: Any) -> Any:
        # An env file or ConfigMap lists these with an empty value where they are not used.
        return None if value == "" else value

    @model_validator(mode="after")
    def _connections_are_complete(self) -> Self:
        protocol = self.kafka_security_protocol
        if protocol in _SASL:
            if self.kafka_sasl_mechanism is None or not self.kafka_sasl_username or self.kafka_sasl_password is None:
                raise ValueError(
                    f"kafka_security_protocol {protocol.value} needs kafka_sasl_mechanism, kafka_sasl_username and "
                    "kafka_sasl_password"
                )
        elif self.kafka_sasl_mechanism is not None or self.kafka_sasl_username or self.kafka_sasl_password is not None:
            raise ValueError("kafka_sasl_* settings need kafka_security_protocol SASL_PLAINTEXT or SASL_SSL")
        tls_files = (self.kafka_ssl_cafile, self.kafka_ssl_certfile, self.kafka_ssl_keyfile)
        if protocol not in _KAFKA_TLS and any(tls_files):
            raise ValueError("kafka_ssl_* settings need kafka_security_protocol SSL or SASL_SSL")
        if self.kafka_ssl_keyfile and not self.kafka_ssl_certfile:
            raise ValueError("kafka_ssl_keyfile needs kafka_ssl_certfile")
        if self.database_ssl_root_cert and self.database_ssl_mode not in (
            DatabaseSslMode.verify_ca,
            DatabaseSslMode.verify_full,
        ):
            raise ValueError("database_ssl_root_cert needs database_ssl_mode verify-ca or verify-full")
        if self.metrics_token is not None and len(self.metrics_token.get_secret_value()) < MIN_METRICS_TOKEN_LENGTH:
            raise ValueError(f"metrics_token needs at least {MIN_METRICS_TOKEN_LENGTH} characters")
        return self

    @property
    def docs_exposed(self) -> bool:
        """Whether /docs and /openapi.json are open to anyone: as `expose_docs` says, else everywhere but production."""
        return self.expose_docs if self.expose_docs is not None else self.environment is not Environment.production

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
    # How often every process re-reads the training clock's offset (libs.kernel.training_clock) besides when a delivery
    # notifies it: the longest a process runs on an old offset should a notification be missed. Never read in
    # production.
    training_clock_refresh_seconds: float = Field(default=30.0, gt=0, le=300)

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
