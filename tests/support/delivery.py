"""A service's events in tests: fed to its real consumers as the broker would deliver them, and read from its outbox."""

from __future__ import annotations

import time

from aiokafka.structs import ConsumerRecord
from sqlalchemy import select

from libs.kernel.consumer import EventConsumer
from libs.kernel.db import Database
from libs.kernel.events import CloudEvent
from libs.kernel.messaging_tables import MessagingTables
from libs.kernel.service import Subscriptions
from libs.kernel.settings import BaseServiceSettings


def record(event: CloudEvent, offset: int) -> ConsumerRecord[bytes, bytes]:
    """`event` as the broker delivers it at `offset` (a redelivery is the same event at a later offset)."""
    value = event.to_bytes()
    return ConsumerRecord(
        topic=event.type,
        partition=0,
        offset=offset,
        timestamp=int(time.time() * 1000),
        timestamp_type=0,
        key=(event.subject or "").encode(),
        value=value,
        checksum=None,
        serialized_key_size=len(event.subject or ""),
        serialized_value_size=len(value),
        headers=[],
    )


class Consumers:
    """Every consumer of `subscriptions` (inbox, handler and outbox in one transaction), fed in process."""

    def __init__(
        self, db: Database, tables: MessagingTables, settings: BaseServiceSettings, subscriptions: Subscriptions
    ) -> None:
        self._by_type = {
            event_type: EventConsumer(name, db, tables, settings, handlers, retry_base_delay=0.001)
            for name, handlers in subscriptions.items()
            for event_type in handlers
        }
        self._offset = 0

    async def deliver(self, event: CloudEvent, times: int = 2) -> None:
        """`event` delivered `times` times, as after a redelivery: the same id at a later offset."""
        for _ in range(times):
            self._offset += 1
            await self._by_type[event.type].process(record(event, self._offset))


async def outbox_events(
    db: Database, tables: MessagingTables, *, subject: str | None = None, event_type: str | None = None
) -> list[CloudEvent]:
    """Events in a service's outbox, oldest first, filtered by subject and type."""
    t = tables.outbox
    async with db.sessions() as s:
        rows = (await s.execute(select(t.c.payload).order_by(t.c.id))).scalars().all()
    events = [CloudEvent.from_bytes(r) for r in rows]
    return [
        e for e in events if (subject is None or e.subject == subject) and (event_type is None or e.type == event_type)
    ]
