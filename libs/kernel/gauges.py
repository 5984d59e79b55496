"""Gauges a worker samples on its own clock (`gauge_sample_seconds`), not per scrape: what an operator alerts on.

Every service: the outbox backlog (unsent rows, the oldest one's age), unresolved dead letters (count, oldest), and
each consumer's lag (the broker's end offset minus the group's committed offset, summed over partitions). A service
adds its own backlogs (`ServiceDefinition.backlogs`): pushes waiting for a partner and items past their deadline,
each one indexed count. docs/operator-guide.md lists them with the alerts they suggest.

Every worker replica samples (the figures are the same from each): alert on `max` across replicas, not `sum`.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Literal

import structlog
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from prometheus_client import Gauge
from sqlalchemy import Table, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from libs.kernel.connections import kafka_client_options
from libs.kernel.db import Database
from libs.kernel.messaging_tables import MessagingTables
from libs.kernel.settings import BaseServiceSettings

_log = structlog.get_logger("gauges")

OUTBOX_UNSENT = Gauge("jiuzhu_outbox_unsent", "Outbox rows not yet published", ["service"])
OUTBOX_OLDEST_UNSENT = Gauge(
    "jiuzhu_outbox_oldest_unsent_seconds", "Age of the oldest unpublished outbox row (0: none)", ["service"]
)
DEAD_LETTERS = Gauge("jiuzhu_dead_letters", "Dead letters not yet resolved", ["service"])
DEAD_LETTER_OLDEST = Gauge(
    "jiuzhu_dead_letter_oldest_seconds", "Age of the oldest unresolved dead letter (0: none)", ["service"]
)
CONSUMER_LAG = Gauge(
    "jiuzhu_consumer_lag", "Messages on the broker not yet committed by a consumer group", ["service", "consumer"]
)
BACKLOG_ITEMS = Gauge(
    "jiuzhu_backlog_items", "Items waiting: pending pushes, overdue work", ["service", "kind", "name"]
)
BACKLOG_OLDEST = Gauge(
    "jiuzhu_backlog_oldest_seconds",
    "How long the oldest waiting item has waited (pending: since created; overdue: since due); 0 when none",
    ["service", "kind", "name"],
)
GAUGES_SAMPLED = Gauge("jiuzhu_gauges_sampled_timestamp_seconds", "When the gauges were last sampled", ["service"])


@dataclass(frozen=True)
class Backlog:
    """A service's own backlog gauge: `sql` selects (how many, the oldest's start as timestamptz or NULL).

    `sql` may use `:now` (timestamptz) and `:today` (the business date), both on the service's clock, so a training
    clock's offset counts as it does for the service's lists. It must be one indexed count.
    """

    kind: Literal["pending", "overdue"]
    name: str
    sql: str


async def _count_and_oldest(session: AsyncSession, table: Table, *where: Any, since: Any) -> tuple[int, Any]:
    row = (await session.execute(select(func.count(), func.min(since)).select_from(table).where(*where))).one()
    return int(row[0]), row[1]


def _age(now: datetime, oldest: datetime | None) -> float:
    return max(0.0, (now - oldest).total_seconds()) if oldest is not None else 0.0


class GaugeSampler:
    def __init__(
        self,
        db: Database,
        tables: MessagingTables,
        settings: BaseServiceSettings,
        *,
        consumers: Mapping[str, Sequence[str]],
        backlogs: Sequence[Backlog] = (),
        clock: Callable[[], datetime],
        today: Callable[[], date],
    ) -> None:
        self.db = db
        self.tables = tables
        self.settings = settings
        # Consumer name → the event types it reads; the group is `<service>.<name>` (libs.kernel.consumer).
        self.consumers = consumers
        self.backlogs = backlogs
        self.clock = clock
        self.today = today
        self.service = settings.service_name
        self._admin: AIOKafkaAdminClient | None = None
        self._offsets: AIOKafkaConsumer | None = None

    async def sample_database(self) -> None:
        """The backlogs, in one read-only transaction."""
        # The platform rows are stamped by the database's clock; a service's own rows by its clock (training offset).
        now, business_now = datetime.now(UTC), self.clock()
        outbox, dead = self.tables.outbox, self.tables.dead_letters
        async with self.db.sessions() as session:
            # Both read through partial or small sets: ix_outbox_unsent covers the unsent rows, and dead letters
            # are few by design (each one is an operator's task).
            unsent, oldest = await _count_and_oldest(
                session, outbox, outbox.c.sent_at.is_(None), since=outbox.c.created_at
            )
            OUTBOX_UNSENT.labels(self.service).set(unsent)
            OUTBOX_OLDEST_UNSENT.labels(self.service).set(_age(now, oldest))
            letters, oldest = await _count_and_oldest(
                session, dead, dead.c.resolved_at.is_(None), since=dead.c.failed_at
            )
            DEAD_LETTERS.labels(self.service).set(letters)
            DEAD_LETTER_OLDEST.labels(self.service).set(_age(now, oldest))
            for backlog in self.backlogs:
                params = {"now": business_now, "today": self.today()}
                row = (await session.execute(text(backlog.sql), params)).one()
                BACKLOG_ITEMS.labels(self.service, backlog.kind, backlog.name).set(int(row[0] or 0))
                BACKLOG_OLDEST.labels(self.service, backlog.kind, backlog.name).set(_age(business_now, row[1]))

    async def sample_lag(self) -> dict[str, int]:
        """Each consumer group's lag, summed over its topics' partitions; a partition never committed counts whole."""
        admin, offsets = await self._clients()
        topics = sorted({self.settings.topic(t) for types in self.consumers.values() for t in types})
        described = await admin.describe_topics(topics) if topics else []
        partitions_of = {t["topic"]: sorted(p["partition"] for p in t["partitions"]) for t in described}
        lags: dict[str, int] = {}
        for name, event_types in self.consumers.items():
            partitions = [
                TopicPartition(topic, p)
                for topic in (self.settings.topic(t) for t in event_types)
                for p in partitions_of.get(topic, ())
            ]
            if not partitions:
                lags[name] = 0
                CONSUMER_LAG.labels(self.service, name).set(0)
                continue
            committed = await admin.list_consumer_group_offsets(f"{self.service}.{name}", partitions=partitions)
            ends = await offsets.end_offsets(partitions)
            lag = 0
            for tp in partitions:
                meta = committed.get(tp)
                done = meta.offset if meta is not None and meta.offset >= 0 else 0
                # Never below zero: the development broker's end offset can trail the committed one (see
                # tests/support/kernel_kafka.py), and a negative lag would hide a real one elsewhere.
                lag += max(0, ends.get(tp, 0) - done)
            lags[name] = lag
            CONSUMER_LAG.labels(self.service, name).set(lag)
        return lags

    async def _clients(self) -> tuple[AIOKafkaAdminClient, AIOKafkaConsumer]:
        if self._admin is None or self._offsets is None:
            options = kafka_client_options(self.settings)
            admin = AIOKafkaAdminClient(**options, request_timeout_ms=5000)
            # No group: this consumer only asks for end offsets and metadata, it never joins or reads.
            reader = AIOKafkaConsumer(**options, enable_auto_commit=False)
            try:
                await asyncio.wait_for(admin.start(), 10)
                await asyncio.wait_for(reader.start(), 10)
            except Exception:
                with contextlib.suppress(Exception):
                    await admin.close()
                with contextlib.suppress(Exception):
                    await reader.stop()
                raise
            self._admin, self._offsets = admin, reader
        return self._admin, self._offsets

    async def close(self) -> None:
        admin, reader, self._admin, self._offsets = self._admin, self._offsets, None, None
        if admin is not None:
            with contextlib.suppress(Exception):
                await admin.close()
        if reader is not None:
            with contextlib.suppress(Exception):
                await reader.stop()

    async def sample(self) -> None:
        # Each half on its own: a broker outage must not hide the database backlogs (which then grow).
        try:
            await self.sample_database()
        except Exception as exc:
            _log.warning("gauges.database_failed", error=type(exc).__name__)
        try:
            await asyncio.wait_for(self.sample_lag(), 15)
        except Exception as exc:
            _log.warning("gauges.lag_failed", error=type(exc).__name__)
            await self.close()
        GAUGES_SAMPLED.labels(self.service).set(datetime.now(UTC).timestamp())

    async def run(self, stop: asyncio.Event) -> None:
        try:
            while not stop.is_set():
                await self.sample()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), self.settings.gauge_sample_seconds)
        finally:
            await self.close()
