"""Consuming events exactly once in effect: an inbox row per event id, in the handler's own transaction.

One message = one transaction: the inbox row, the handler's writes and any outbox rows commit together, and the offset
is committed only afterwards. A redelivered message (after a crash, a rebalance or an outbox replay) finds its inbox
row and changes nothing. A message that keeps failing is retried with back-off, then parked in `dead_letters` so one
poison message cannot stop a partition. Workers of a service share a consumer group and so split the partitions.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar

import structlog
from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from opentelemetry.trace import SpanKind
from pydantic import BaseModel, ValidationError
from sqlalchemy import insert
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.events.base import EventPayload
from libs.kernel.connections import kafka_client_options
from libs.kernel.db import Database
from libs.kernel.events import CloudEvent
from libs.kernel.listening import wait_any
from libs.kernel.logging import scrub_database_values
from libs.kernel.messaging_tables import MessagingTables
from libs.kernel.metrics import EVENTS_HANDLED
from libs.kernel.settings import BaseServiceSettings
from libs.kernel.tracing import enabled as tracing_enabled
from libs.kernel.tracing import event_traceparent, span

Handler = Callable[[AsyncSession, CloudEvent], Awaitable[None]]

P = TypeVar("P", bound=BaseModel)
E = TypeVar("E", bound=EventPayload)
C = TypeVar("C")


def typed_handler(model: type[P], ctx: C, use: Callable[[AsyncSession, C, P], Awaitable[None]]) -> Handler:
    """A handler that reads the event's data as `model` and hands it, with the service's context, to a use case."""

    async def handle(session: AsyncSession, event: CloudEvent) -> None:
        await use(session, ctx, model.model_validate(event.data))

    return handle


def on(model: type[E], ctx: C, use: Callable[[AsyncSession, C, E], Awaitable[None]]) -> tuple[str, Handler]:
    """One line of a service's subscriptions: the event type `model` names, and its typed handler."""
    return model.event_type, typed_handler(model, ctx, use)


def handling(*lines: tuple[str, Handler]) -> dict[str, Handler]:
    """One consumer's handlers by event type, from `on(...)` lines; an event type may be handled once only."""
    handlers: dict[str, Handler] = {}
    for event_type, handler in lines:
        if event_type in handlers:
            raise ValueError(f"{event_type} is handled twice")
        handlers[event_type] = handler
    return handlers


_log = structlog.get_logger("consumer")
# How often aiokafka's background fetcher plans again on its own (`consumer_timeout_ms`). Awake, its default: a longer
# timer let a busy consumer's fetches stall for seconds at a time (measured: events waiting 15-20 s at 24 lanes of
# bench.system_throughput), so some of its wake-ups are not signalled otherwise. Paused, every partition's resume
# wakes it, and the default would only wake each idle consumer five times a second to find nothing to plan.
_FETCHER_AWAKE_S = 0.2
_FETCHER_PAUSED_S = 5.0
_WAIT_MS = 200  # how long a poll waits for records while the consumer is awake
_COMMIT_TIMEOUT = 10.0  # aiokafka's commit() can hang after a broker restart (ARCHITECTURE.md, running it)


class EventConsumer:
    def __init__(
        self,
        name: str,
        db: Database,
        tables: MessagingTables,
        settings: BaseServiceSettings,
        handlers: Mapping[str, Handler],
        *,
        nudge: asyncio.Event | None = None,
        slots: asyncio.Semaphore | None = None,
        retry_base_delay: float = 0.1,
    ) -> None:
        self.name = name
        self.group_id = f"{settings.service_name}.{name}"
        self.db = db
        self.tables = tables
        self.settings = settings
        self.handlers = dict(handlers)
        self.retry_base_delay = retry_base_delay
        self._topics = {settings.topic(t): t for t in self.handlers}
        # Set when a relay published to one of our topics (libs.kernel.nudges); None: wait in the fetch instead.
        self.nudge = nudge
        # Long enough for a fetch after the resume to come back with what waits (the broker answers an empty one
        # when its wait runs out).
        self._look_ms = max(5 * settings.consumer_fetch_max_wait_ms, 50)
        # Set while the partitions are paused, waiting for a nudge or the idle check.
        self.idle = asyncio.Event()
        # Handling transactions at once, shared by a worker's consumers so that their lanes together never take
        # more than the pool holds (the relay and the jobs keep the rest).
        self.slots = slots or asyncio.Semaphore(settings.consumer_lanes)

    def _new_consumer(self) -> AIOKafkaConsumer:
        return AIOKafkaConsumer(
            *self._topics,
            **kafka_client_options(self.settings),
            group_id=self.group_id,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            fetch_max_wait_ms=self.settings.consumer_fetch_max_wait_ms,
            session_timeout_ms=10_000,
            heartbeat_interval_ms=3_000,  # a third of the session timeout: an idle group's only traffic
            max_poll_interval_ms=300_000,
            metadata_max_age_ms=5_000,
            consumer_timeout_ms=int(_FETCHER_AWAKE_S * 1000),
        )

    async def run(self, stop: asyncio.Event) -> None:
        backoff = 0.2
        while not stop.is_set():
            consumer = self._new_consumer()
            try:
                await consumer.start()
                backoff = 0.2
                await self._poll(consumer, stop)
            except Exception as exc:  # broker gone or group trouble: reconnect with a fresh consumer
                _log.warning("consumer.restarting", consumer=self.group_id, error=repr(exc), retry_in=backoff)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), backoff)
                backoff = min(backoff * 2, 5.0)
            finally:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(consumer.stop(), 10)

    async def _poll(self, consumer: AIOKafkaConsumer, stop: asyncio.Event) -> None:
        last_message = time.monotonic()
        wait_ms = _WAIT_MS
        while not stop.is_set():
            if self.nudge is not None:
                # Cleared before the fetch: a nudge arriving during it keeps the consumer from pausing after it.
                self.nudge.clear()
            batches: dict[TopicPartition, list[ConsumerRecord[bytes, bytes]]] = await consumer.getmany(
                timeout_ms=wait_ms, max_records=500
            )
            wait_ms = _WAIT_MS
            if not batches:
                idle = time.monotonic() - last_message >= self.settings.consumer_idle_after_seconds
                if self.nudge is not None and idle and not self.nudge.is_set():
                    if await self._idle(consumer, self.nudge, stop):
                        last_message = time.monotonic()
                    else:
                        # An idle check that no nudge started: one short look (a fetch or two), paused again at
                        # once if empty. A whole wait here was ~20 empty fetches a consumer at every check, which was
                        # most of the development broker's idle work (bench/RESULTS.md, "Idle").
                        wait_ms = self._look_ms
                continue
            last_message = time.monotonic()
            done = await self._handle_in_lanes(batches)
            try:
                await asyncio.wait_for(consumer.commit(done), _COMMIT_TIMEOUT)
            except Exception as exc:
                # The messages are handled; the inbox makes their redelivery harmless. Reconnect and carry on.
                _log.warning("consumer.commit_failed", consumer=self.group_id, error=repr(exc))
                raise

    async def _handle_in_lanes(
        self, batches: Mapping[TopicPartition, list[ConsumerRecord[bytes, bytes]]]
    ) -> dict[TopicPartition, int]:
        """Handle a fetch's records, partitions side by side in up to `consumer_lanes` lanes, each lane's records one
        after the other; returns the offsets to commit.

        Events are keyed by household and every topic has the same number of partitions, so partition n of every
        topic holds the same households: a lane per partition number keeps each household's events in order, across
        the consumer's topics as well, as one worker did before lanes."""
        lanes: dict[int, list[tuple[TopicPartition, list[ConsumerRecord[bytes, bytes]]]]] = {}
        for tp, records in batches.items():
            lanes.setdefault(tp.partition % self.settings.consumer_lanes, []).append((tp, records))
        done: dict[TopicPartition, int] = {}

        async def lane(parts: list[tuple[TopicPartition, list[ConsumerRecord[bytes, bytes]]]]) -> None:
            for tp, records in parts:
                for record in records:
                    await self.process(record)
                    done[tp] = record.offset + 1

        if len(lanes) == 1:
            await lane(next(iter(lanes.values())))
            return done
        # One lane failing (the database gone) cancels the others; nothing is committed and all of it comes again.
        async with asyncio.TaskGroup() as group:
            for parts in lanes.values():
                group.create_task(lane(parts))
        return done

    async def _idle(self, consumer: AIOKafkaConsumer, nudge: asyncio.Event, stop: asyncio.Event) -> bool:
        """Fetch nothing until a relay says one of our topics has news (True), or the idle check comes round, or we
        stop."""
        consumer.pause(*consumer.assignment())
        _fetcher_timer(consumer, _FETCHER_PAUSED_S)
        self.idle.set()
        try:
            await wait_any(nudge, stop, self.settings.consumer_idle_check_seconds)
        finally:
            self.idle.clear()
            _fetcher_timer(consumer, _FETCHER_AWAKE_S)
            # Whatever is paused now, partitions assigned while we waited included.
            consumer.resume(*consumer.paused())
        return nudge.is_set()

    async def process(self, record: ConsumerRecord[bytes, bytes]) -> None:
        raw = record.value or b""
        try:
            event = CloudEvent.from_bytes(raw)
        except (ValidationError, ValueError) as exc:
            await self._dead_letter(record, None, None, f"unreadable envelope: {exc}", attempts=1)
            return
        handler = self.handlers.get(event.type)
        if handler is None:
            return
        if tracing_enabled():
            # The trace of the request that wrote the event goes on here (off: not even this branch's cost).
            traceparent = event_traceparent(event.model_extra)
            with span(f"consume {event.type}", service=self.settings.service_name, traceparent=traceparent,
                      kind=SpanKind.CONSUMER):  # fmt: skip
                await self._process(record, event, handler)
            return
        await self._process(record, event, handler)

    async def _process(self, record: ConsumerRecord[bytes, bytes], event: CloudEvent, handler: Handler) -> None:
        with structlog.contextvars.bound_contextvars(event_id=event.id, request_id=event.correlationid):
            attempts = 0
            while True:
                attempts += 1
                try:
                    handled = await self._handle_once(handler, event)
                    EVENTS_HANDLED.labels(
                        self.settings.service_name, self.name, event.type, "handled" if handled else "duplicate"
                    ).inc()
                    return
                except Exception as exc:
                    if attempts > self.settings.consumer_max_retries:
                        _log.error("event.dead_lettered", consumer=self.group_id, type=event.type, error=repr(exc))
                        # Stored for the operator, so without the values a database error quotes (personal data).
                        error = scrub_database_values(repr(exc))
                        await self._dead_letter(record, event.id, event.type, error, attempts=attempts)
                        EVENTS_HANDLED.labels(self.settings.service_name, self.name, event.type, "dead").inc()
                        return
                    delay = self.retry_base_delay * 2 ** (attempts - 1)
                    _log.warning(
                        "event.retrying",
                        consumer=self.group_id,
                        type=event.type,
                        error=repr(exc),
                        attempt=attempts,
                        retry_in=delay,
                    )
                    await asyncio.sleep(delay)

    async def _handle_once(self, handler: Handler, event: CloudEvent) -> bool:
        async with self.slots, self.db.sessions.begin() as session:
            if not await self._claim(session, event.id, event.type):
                return False
            await handler(session, event)
        _log.debug("event.handled", consumer=self.group_id, type=event.type)
        return True

    async def _claim(self, session: AsyncSession, event_id: str, event_type: str) -> bool:
        inbox = self.tables.inbox
        claimed = await session.execute(
            pg_insert(inbox)
            .values(event_id=event_id, consumer=self.name, event_type=event_type)
            .on_conflict_do_nothing()
            .returning(inbox.c.event_id)
        )
        return claimed.first() is not None

    async def _dead_letter(
        self,
        record: ConsumerRecord[bytes, bytes],
        event_id: str | None,
        event_type: str | None,
        error: str,
        *,
        attempts: int,
    ) -> None:
        values: dict[str, Any] = {
            "consumer": self.name,
            "topic": record.topic,
            "partition": record.partition,
            "offset": record.offset,
            "event_id": event_id,
            "payload": record.value or b"",
            "error": error[:4000],
            "attempts": attempts,
        }
        async with self.db.sessions.begin() as session:
            # Claim the id too, so a redelivery is not dead-lettered a second time; a re-drive deletes both.
            if event_id is not None and not await self._claim(session, event_id, event_type or record.topic):
                return
            await session.execute(insert(self.tables.dead_letters).values(**values))


def _fetcher_timer(consumer: AIOKafkaConsumer, seconds: float) -> None:
    """Set the background fetcher's own timer (see `_FETCHER_AWAKE_S`). aiokafka takes it only at construction, so
    this sets its private attribute (aiokafka 0.14); should a later version rename it, nothing is set and the
    constructor's value stays: an idle consumer costs a little more, nothing else changes."""
    fetcher = getattr(consumer, "_fetcher", None)
    if fetcher is not None and hasattr(fetcher, "_fetcher_timeout"):
        fetcher._fetcher_timeout = seconds
