"""A service's composition root: what it is (a `ServiceDefinition`) and how its processes are built from it.

Each service declares its definition in `services/<name>/definition.py`; `create_app()` and the worker come from here,
so the five services differ only in their domain code.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Coroutine, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import structlog
from aiokafka.admin import AIOKafkaAdminClient
from fastapi import APIRouter, FastAPI
from sqlalchemy import MetaData

from libs.kernel.api_docs import add_internal_openapi, docs_routes
from libs.kernel.auth import internal_tokens
from libs.kernel.connections import kafka_client_options
from libs.kernel.consumer import EventConsumer, Handler
from libs.kernel.context import ServiceContext
from libs.kernel.db import Database
from libs.kernel.diagnostics import PROBE_EVENT_TYPE, diagnostics_router, probe_handler
from libs.kernel.errors import install_error_handlers
from libs.kernel.gauges import Backlog, GaugeSampler
from libs.kernel.input_guard import InputGuardMiddleware, body_limit
from libs.kernel.jobs import JobRunner, PeriodicJob
from libs.kernel.messaging_tables import MessagingTables
from libs.kernel.nudges import Nudges
from libs.kernel.outbox import Outbox, OutboxRelay
from libs.kernel.pruning import MessagingPruner
from libs.kernel.region_names import region_names_router
from libs.kernel.settings import ConsumerWake, Role, ServiceSettings
from libs.kernel.tracing import TracingMiddleware, configure_tracing
from libs.kernel.training_clock import TrainingClock, clock_router
from libs.kernel.web import ReadinessCheck, RequestContextMiddleware, add_health_routes

_log = structlog.get_logger("service")
Subscriptions = Mapping[str, Mapping[str, Handler]]
SubscriptionsFactory = Callable[["Runtime"], Subscriptions]
JobsFactory = Callable[["Runtime"], Sequence[PeriodicJob]]
C = TypeVar("C", bound=ServiceContext)


@dataclass(frozen=True)
class ServiceSchema:
    """The PostgreSQL schema a service owns: the metadata its models are declared on (named after the schema), its
    messaging tables, and the Alembic migrations that build it."""

    metadata: MetaData
    tables: MessagingTables
    migrations_dir: Path

    @property
    def name(self) -> str:
        if self.metadata.schema is None:
            raise ValueError("a service's metadata names its schema (libs.kernel.db.schema_metadata)")
        return str(self.metadata.schema)  # SQLAlchemy keeps it as a `quoted_name`


@dataclass(frozen=True)
class ServiceDefinition:
    # The service's context class: its settings class (`settings_type`) is the one the process reads, and `of` builds
    # the process's one context (settings, vault, outbox, clock), once, in `create_service_app`'s lifespan; endpoints,
    # consumers and jobs all receive that object (`runtime.context`).
    context_class: type[ServiceContext]
    schema: ServiceSchema
    title: str = ""
    # Besides these, every service answers the platform diagnostics (libs.kernel.diagnostics), mounted last.
    routers: Sequence[APIRouter] = ()
    # Builds consumer name → {event type → handler} for a running process; each consumer is its own consumer group.
    # A factory, because handlers need what only a running process has (`runtime.context`). The platform probe's
    # consumer is added to them (`consumers_of`).
    subscriptions: SubscriptionsFactory = field(default=lambda _runtime: {})
    # Builds the scheduled jobs of a running worker; a factory for the same reason as `subscriptions`.
    jobs: JobsFactory = field(default=lambda _runtime: ())
    # Path prefixes whose bodies stream to storage (a registry feed) and so have no size limit; every other body is
    # bounded by `max_body_bytes` (libs.kernel.input_guard).
    streamed_paths: tuple[str, ...] = ()
    # The service's own backlog gauges (libs.kernel.gauges): pushes waiting for a partner, items past a deadline.
    backlogs: tuple[Backlog, ...] = ()

    @property
    def name(self) -> str:
        """The service's name: its PostgreSQL schema, and the `source` of its events."""
        return self.schema.name

    @property
    def metadata(self) -> MetaData:
        return self.schema.metadata

    @property
    def tables(self) -> MessagingTables:
        return self.schema.tables

    @property
    def migrations_dir(self) -> Path:
        return self.schema.migrations_dir

    @property
    def settings_cls(self) -> type[ServiceSettings]:
        return self.context_class.settings_type

    @property
    def context(self) -> Callable[[Runtime], ServiceContext]:
        return self.context_class.of

    def settings(self) -> ServiceSettings:
        return self.settings_cls()


@dataclass
class Runtime:
    """What a running process of a service holds; `app.state.runtime`."""

    definition: ServiceDefinition
    settings: ServiceSettings
    db: Database
    outbox: Outbox
    # The process's view of the training clock's offset; every context built from this runtime reads this one.
    training_clock: TrainingClock = field(default_factory=TrainingClock.off)
    _context: ServiceContext | None = field(default=None, init=False, repr=False)

    @property
    def context(self) -> ServiceContext:
        """The process's one context, built from `definition.context` the first time anything asks for it."""
        if self._context is None:
            self._context = self.definition.context(self)
        return self._context

    @context.setter
    def context(self, value: ServiceContext) -> None:
        # Tests put a context with a fixed clock or other settings in its place.
        self._context = value

    def context_as(self, cls: type[C]) -> C:
        """The process's one context as the service's own class: `ctx = runtime.context_as(Casework)`."""
        ctx = self.context
        if not isinstance(ctx, cls):
            raise TypeError(f"the process's context is a {type(ctx).__name__}, not a {cls.__name__}")
        return ctx


def consumers_of(runtime: Runtime) -> Subscriptions:
    """Every consumer of a running worker: the platform probe's, which every service answers, then the service's."""
    platform: Subscriptions = {"platform": {PROBE_EVENT_TYPE: probe_handler(runtime.definition.tables)}}
    return {**platform, **runtime.definition.subscriptions(runtime)}


class BrokerProbe:
    """Readiness check for the broker: a metadata round trip through a long-lived admin client, connected as every
    other Kafka client of the process is (`kafka_client_options`: bootstrap servers, SASL, TLS)."""

    def __init__(self, client_options: dict[str, Any]) -> None:
        self.client_options = client_options
        self._admin: AIOKafkaAdminClient | None = None

    async def __call__(self) -> None:
        if self._admin is None:
            admin = AIOKafkaAdminClient(**self.client_options, request_timeout_ms=2000)
            await asyncio.wait_for(admin.start(), 3)
            self._admin = admin
        try:
            await asyncio.wait_for(self._admin.list_topics(), 3)
        except Exception:
            await self.close()
            raise

    async def close(self) -> None:
        if self._admin is not None:
            admin, self._admin = self._admin, None
            with contextlib.suppress(Exception):
                await admin.close()


def worker_tasks(runtime: Runtime, stop: asyncio.Event) -> list[Callable[[], Coroutine[Any, Any, None]]]:
    d, s, db = runtime.definition, runtime.settings, runtime.db
    relay = OutboxRelay(db, d.tables.outbox, s)
    # Idle consumers wait for a relay's nudge rather than fetching in a loop (libs.kernel.nudges), unless the broker
    # itself wakes them (CONSUMER_WAKE=broker).
    nudges = Nudges(s) if s.consumer_wake is ConsumerWake.nudge else None
    slots = asyncio.Semaphore(s.db_pool_size)
    consumers = [
        EventConsumer(
            name,
            db,
            d.tables,
            s,
            handlers,
            nudge=nudges.waiter(map(s.topic, handlers)) if nudges else None,
            slots=slots,
        )
        for name, handlers in consumers_of(runtime).items()
    ]
    runners = [JobRunner(db, job, d.name) for job in d.jobs(runtime)]
    listening = [lambda: nudges.run(stop)] if nudges is not None and consumers else []
    ctx = runtime.context
    sampler = GaugeSampler(
        db,
        d.tables,
        s,
        consumers={c.name: tuple(c.handlers) for c in consumers},
        backlogs=d.backlogs,
        clock=ctx.now,
        today=ctx.today,
    )
    pruner = MessagingPruner(db, d.tables, s)
    return [
        lambda: relay.run(stop),
        *listening,
        *[(lambda c=c: c.run(stop)) for c in consumers],
        *[(lambda r=r: r.run(stop)) for r in runners],
        lambda: sampler.run(stop),
        lambda: pruner.run(stop),
    ]


def create_service_app(definition: ServiceDefinition, settings: ServiceSettings | None = None) -> FastAPI:
    """Build the FastAPI app of one process of `definition`, in the role its settings name."""
    s = settings or definition.settings()
    role = s.role

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        db = Database(s, definition.name)
        training = TrainingClock(s.environment, refresh_seconds=s.training_clock_refresh_seconds)
        runtime = Runtime(definition, s, db, Outbox(definition.tables.outbox, s), training)
        runtime.context = definition.context(runtime)  # once, before any consumer, job or request reads it
        app.state.runtime = runtime
        app.state.db = db
        stop = asyncio.Event()
        # Read before the jobs and consumers start, so a restarted worker's first tick already runs on the offset;
        # if the database is not there yet, the follower keeps trying and readiness says not ready meanwhile.
        with contextlib.suppress(Exception):
            await training.load(db.sessions, definition.tables.training_clock)
        tasks: list[asyncio.Task[None]] = [
            asyncio.create_task(training.follow(db.sessions, definition.tables.training_clock, stop, s))
        ]
        if role in (Role.worker, Role.all):
            tasks += [asyncio.create_task(_supervise(f)) for f in worker_tasks(runtime, stop)]
            _log.info("worker.started", consumers=sorted(consumers_of(runtime)))
        try:
            yield
        finally:
            stop.set()
            if tasks:
                await asyncio.wait(tasks, timeout=15)
            await broker_probe.close()
            await db.dispose()

    # A worker has no API to describe; in production an API keeps its description for the gateway (libs.kernel.api_docs)
    docs = docs_routes(s) if role is not Role.worker else {"docs_url": None, "redoc_url": None, "openapi_url": None}
    app = FastAPI(
        title=definition.title or f"Jiuzhu {definition.name}",
        lifespan=lifespan,
        **docs,
        # A redirect would carry the service's own address back through the gateway to the caller.
        redirect_slashes=False,
    )
    app.state.internal_tokens = internal_tokens(s)
    if role is not Role.worker and docs["openapi_url"] is None:
        add_internal_openapi(app, app.state.internal_tokens)
    broker_probe = BrokerProbe(kafka_client_options(s))

    async def db_check() -> None:
        await app.state.db.ping()

    # An API process writes events to its outbox and never talks to the broker (decision 5), so a broker outage
    # must not take the APIs out of service: only processes that run the worker check the broker.
    async def clock_check() -> None:
        await app.state.runtime.training_clock.ready()

    checks: list[ReadinessCheck] = [("database", db_check), ("training_clock", clock_check)]
    if role in (Role.worker, Role.all):
        checks.append(("broker", broker_probe))
    add_health_routes(app, checks, metrics_token=s.metrics_token)
    install_error_handlers(app)
    if role in (Role.api, Role.all):
        for router in (*definition.routers, diagnostics_router(definition.name, definition.tables)):
            app.include_router(router)
        app.include_router(clock_router(definition.name, definition.tables.training_clock))
        app.include_router(region_names_router(definition.tables.region_names))
    # Inside the request context (added first = innermost), so its refusals carry the request id.
    app.add_middleware(InputGuardMiddleware, limit=body_limit(definition.streamed_paths, s.max_body_bytes))
    app.add_middleware(RequestContextMiddleware, service=definition.name)
    if configure_tracing(definition.name, s.otel_exporter_otlp_endpoint):
        app.add_middleware(TracingMiddleware, service=definition.name)  # outermost: the span covers the whole request
    return app


async def _supervise(run: Callable[[], Coroutine[Any, Any, None]]) -> None:
    """Run a worker loop; a loop that crashes is logged and restarted rather than silently gone."""
    while True:
        try:
            await run()
            return
        except asyncio.CancelledError:
            raise
        except Exception:
            _log.exception("worker.task_crashed")
            await asyncio.sleep(1)
