"""The transactional outbox: events are rows written in the caller's transaction, published later by the relay.

Writing: `Outbox.add(session, event, key)` inserts the row and queues a NOTIFY, both committed (or not) with the
caller's own writes (`add_many` for a batch); nothing else in the code talks to the producer.

Publishing: `OutboxRelay` claims unsent rows in id order (`FOR UPDATE SKIP LOCKED`), sends them with `acks=all`,
waits for every acknowledgement, and marks them sent in the same transaction. A crash between the broker's
acknowledgement and the commit re-sends those rows: delivery is at least once and consumers deduplicate by event id.
Relays of one service take a transaction-scoped advisory lock per batch, so however many workers run, one batch is in
flight at a time and a household's events reach the broker in the order they were committed.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from datetime import datetime

import structlog
from aiokafka import AIOKafkaProducer
from sqlalchemy import Table, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from libs.kernel.connections import kafka_client_options
from libs.kernel.db import Database, try_advisory_xact_lock
from libs.kernel.events import CloudEvent
from libs.kernel.listening import listen, notify_at_commit, wait_any
from libs.kernel.metrics import OUTBOX_PUBLISHED, OUTBOX_RELAY_ERRORS
from libs.kernel.nudges import announce
from libs.kernel.settings import BaseServiceSettings

_log = structlog.get_logger("outbox")


def notify_channel(schema: str) -> str:
    return f"{schema}_outbox"


class Outbox:
    def __init__(self, table: Table, settings: BaseServiceSettings) -> None:
        self.table = table
        self.settings = settings
        self._channel = notify_channel(str(table.schema))

    async def add(self, session: AsyncSession, event: CloudEvent, *, key: str) -> None:
        await session.execute(
            insert(self.table).values(
                event_id=event.id, topic=self.settings.topic(event.type), key=key, payload=event.to_bytes()
            )
        )
        await notify_at_commit(session, self._channel)

    async def add_many(self, session: AsyncSession, events: Sequence[tuple[CloudEvent, str]]) -> None:
        """Events with their keys, written together and announced once: one round trip per event made 10,000 probes
        outlast the gateway's timeout (a 504)."""
        if not events:
            return
        rows = [
            {"event_id": event.id, "topic": self.settings.topic(event.type), "key": key, "payload": event.to_bytes()}
            for event, key in events
        ]
        await session.execute(insert(self.table), rows)
        await notify_at_commit(session, self._channel)


class OutboxRelay:
    def __init__(
        self,
        db: Database,
        table: Table,
        settings: BaseServiceSettings,
        *,
        # A committed event wakes the relay through its LISTEN connection; the poll is only the safety net for a
        # notification lost while that connection was being re-made, so it can be slow (an idle worker's clockwork).
        poll_interval: float = 5.0,
        max_backoff: float = 5.0,
    ) -> None:
        self.db = db
        self.table = table
        self.settings = settings
        self.poll_interval = poll_interval
        self.max_backoff = max_backoff
        self._wake = asyncio.Event()
        self._producer: AIOKafkaProducer | None = None
        self._lock_name = f"outbox:{table.schema}"

    async def _ensure_producer(self) -> AIOKafkaProducer:
        if self._producer is None:
            producer = AIOKafkaProducer(
                **kafka_client_options(self.settings),
                acks="all",
                linger_ms=0,
                request_timeout_ms=10_000,
                # Idempotence is not supported by the development broker; in-order sending per partition plus
                # in-order retries by the relay keep a household's events ordered without it (ARCHITECTURE.md §4).
                enable_idempotence=False,
            )
            try:
                await producer.start()
            except Exception:
                await producer.stop()
                raise
            self._producer = producer
        return self._producer

    async def _drop_producer(self) -> None:
        if self._producer is not None:
            producer, self._producer = self._producer, None
            with contextlib.suppress(Exception):
                await asyncio.wait_for(producer.stop(), 5)

    async def publish_batch(self) -> int:
        """Publish up to one batch of unsent rows; returns how many were published."""
        producer = await self._ensure_producer()
        t = self.table
        async with self.db.sessions.begin() as session:
            if not await try_advisory_xact_lock(session, self._lock_name):
                return 0
            rows = (
                await session.execute(
                    select(t.c.id, t.c.topic, t.c.key, t.c.payload)
                    .where(t.c.sent_at.is_(None))
                    .order_by(t.c.id)
                    .limit(self.settings.relay_batch_size)
                    .with_for_update(skip_locked=True)
                )
            ).all()
            if not rows:
                return 0
            pending = [await producer.send(r.topic, r.payload, key=r.key.encode()) for r in rows]
            await asyncio.gather(*pending)
            await session.execute(
                update(t)
                .where(t.c.id.in_([r.id for r in rows]))
                .values(sent_at=text("now()"), attempts=t.c.attempts + 1)
            )
            # Idle consumers of these topics resume at this commit (libs.kernel.nudges), not at their next look.
            await announce(session, {r.topic for r in rows})
        OUTBOX_PUBLISHED.labels(self.settings.service_name).inc(len(rows))
        return len(rows)

    async def run(self, stop: asyncio.Event) -> None:
        # A committed event wakes the relay at once; after a (re)connect it catches up on what it may have missed.
        wake = self._wake.set
        channel = notify_channel(str(self.table.schema))
        listener = asyncio.create_task(listen(self.settings, channel, lambda _payload: wake(), wake, stop))
        backoff = 0.1
        try:
            while not stop.is_set():
                self._wake.clear()
                try:
                    published = await self.publish_batch()
                except Exception as exc:  # broker or database down: back off, keep the rows, try again
                    OUTBOX_RELAY_ERRORS.labels(self.settings.service_name).inc()
                    _log.warning("outbox.publish_failed", error=repr(exc), retry_in=backoff)
                    await self._drop_producer()
                    await _wait(stop, backoff)
                    backoff = min(backoff * 2, self.max_backoff)
                    continue
                backoff = 0.1
                if published >= self.settings.relay_batch_size:
                    continue
                await wait_any(self._wake, stop, self.poll_interval)
        finally:
            listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await listener
            await self._drop_producer()


async def mark_for_replay(session: AsyncSession, table: Table, since: datetime) -> int:
    """Queue every event created at or after `since` for publishing again (after a broker lost its data)."""
    result = await session.execute(
        update(table).where(table.c.created_at >= since).values(sent_at=None).returning(table.c.id)
    )
    count = len(result.all())
    await notify_at_commit(session, notify_channel(str(table.schema)))
    return count


async def _wait(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)
