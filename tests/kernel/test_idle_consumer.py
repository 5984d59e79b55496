"""An idle consumer against the real broker (issue 23, "idle means idle"): with nothing to do it pauses its partitions
and fetches nothing; a relay's nudge wakes it at once, and a nudge that never came costs a delay, never the event."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from libs.devstack.stack import DevStack
from libs.kernel import consumer as consumer_module
from libs.kernel.consumer import EventConsumer
from libs.kernel.db import Database
from libs.kernel.diagnostics import probe_event
from libs.kernel.events import CloudEvent
from services.casework.definition import DEFINITION as CASEWORK
from tests.support.kernel_kafka import new_topic, publish, running
from tests.support.waiting import wait_until


@dataclass
class IdleConsumer:
    """A consumer of one topic of its own, and the ids of the events its handler saw."""

    consumer: EventConsumer
    bootstrap: str
    topic: str
    event_type: str
    seen: list[str]

    async def publish_without_a_nudge(self) -> str:
        """One event straight onto the topic, as a relay in another database would: no NOTIFY reaches the consumer."""
        event = probe_event(uuid.uuid4().hex, 0, source="intake").model_copy(update={"type": self.event_type})
        await publish(self.bootstrap, self.topic, [(event, 0)])
        return event.id

    async def seen_ids(self) -> list[str]:
        return list(self.seen)


@contextlib.asynccontextmanager
async def idle_consumer(stack: DevStack, check_seconds: float) -> AsyncIterator[IdleConsumer]:
    """A running consumer, returned once it has gone idle (its partitions paused)."""
    settings = CASEWORK.settings().with_overrides(
        consumer_idle_after_seconds=0.2, consumer_idle_check_seconds=check_seconds
    )
    event_type = f"kernel-idle-{uuid.uuid4().hex[:10]}"
    topic = settings.topic(event_type)
    await new_topic(stack.bootstrap_servers, topic)
    seen: list[str] = []

    async def handle(_session: AsyncSession, event: CloudEvent) -> None:
        seen.append(event.id)

    db = Database(settings, CASEWORK.name)
    name = f"kt-{uuid.uuid4().hex[:12]}"
    consumer = EventConsumer(name, db, CASEWORK.tables, settings, {event_type: handle}, nudge=asyncio.Event())
    async with running(consumer):
        await asyncio.wait_for(consumer.idle.wait(), 60)
        yield IdleConsumer(consumer, stack.bootstrap_servers, topic, event_type, seen)


async def test_an_idle_consumer_whose_nudge_never_came_finds_the_event_at_its_idle_check(stack: DevStack) -> None:
    async with idle_consumer(stack, check_seconds=1.0) as idle:
        event_id = await idle.publish_without_a_nudge()
        assert await wait_until(idle.seen_ids, lambda seen: seen == [event_id], timeout=30) == [event_id]
        assert idle.consumer.nudge is not None
        assert not idle.consumer.nudge.is_set()
        # Handled, it goes idle again: paused, fetching nothing.
        await asyncio.wait_for(idle.consumer.idle.wait(), 30)


async def test_an_idle_consumer_looks_and_pauses_again_when_nothing_came(stack: DevStack) -> None:
    async with idle_consumer(stack, check_seconds=0.5) as idle:
        idle.consumer.idle.clear()  # the next pause comes after an idle check's look
        await asyncio.wait_for(idle.consumer.idle.wait(), 30)
        assert idle.seen == []


async def test_a_nudge_wakes_an_idle_consumer_without_waiting_for_its_idle_check(stack: DevStack) -> None:
    async with idle_consumer(stack, check_seconds=300.0) as idle:
        event_id = await idle.publish_without_a_nudge()
        assert idle.consumer.nudge is not None
        idle.consumer.nudge.set()
        # Well inside the 300 s idle check: only the nudge can have woken it.
        assert await wait_until(idle.seen_ids, lambda seen: seen == [event_id], timeout=30) == [event_id]


async def test_the_fetchers_own_timer_is_long_only_while_paused(stack: DevStack) -> None:
    """Pins the aiokafka internals the idle consumer sets (`_fetcher._fetcher_timeout`): an upgrade that renames
    them fails here instead of quietly costing the idle CPU back."""
    settings = CASEWORK.settings()
    db = Database(settings, CASEWORK.name)
    kafka = EventConsumer(f"kt-{uuid.uuid4().hex[:12]}", db, CASEWORK.tables, settings, {})._new_consumer()
    await kafka.start()
    try:
        fetcher = kafka._fetcher
        assert fetcher._fetcher_timeout == consumer_module._FETCHER_AWAKE_S
        consumer_module._fetcher_timer(kafka, consumer_module._FETCHER_PAUSED_S)
        assert fetcher._fetcher_timeout == consumer_module._FETCHER_PAUSED_S
    finally:
        await kafka.stop()
        await db.dispose()
