"""The transactional outbox and its relay, against the real PostgreSQL and the real broker.

Every test writes to its own topic (a unique `kafka_topic_prefix`), so what it reads back from the broker is exactly
what the relay published for it, whatever other tests left in the intake outbox.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any

import pytest
from prometheus_client import REGISTRY
from sqlalchemy import select, text

from libs.devstack.processes import free_port
from libs.devstack.stack import DevStack
from libs.kernel.diagnostics import PROBE_EVENT_TYPE, probe_event
from libs.kernel.events import CloudEvent
from libs.kernel.outbox import Outbox, OutboxRelay, mark_for_replay
from libs.kernel.service import Runtime
from libs.kernel.settings import ServiceSettings
from services.intake.definition import DEFINITION as INTAKE
from tests.support.kernel_kafka import new_topic, read_topic, seqs_by_key
from tests.support.waiting import wait_until
from tests.support.workers import runtime_of

OUTBOX = INTAKE.tables.outbox


@dataclass
class Probe:
    """One test's slice of the intake outbox: its own topic, its own probe id."""

    runtime: Runtime
    settings: ServiceSettings
    outbox: Outbox
    topic: str
    probe_id: str

    def event(self, seq: int) -> CloudEvent:
        return probe_event(self.probe_id, seq, source="intake")

    async def write(self, seqs: Sequence[int], *, keys: int = 3) -> list[str]:
        """Commit one event per seq, keyed by household `hh-<seq % keys>`; returns their event ids in seq order."""
        events = [self.event(seq) for seq in seqs]
        async with self.runtime.db.sessions.begin() as session:
            for seq, event in zip(seqs, events, strict=True):
                await self.outbox.add(session, event, key=f"hh-{seq % keys}")
        return [e.id for e in events]

    async def rows(self, event_ids: Sequence[str]) -> list[Any]:
        async with self.runtime.db.sessions() as session:
            result = await session.execute(
                select(OUTBOX.c.id, OUTBOX.c.event_id, OUTBOX.c.topic, OUTBOX.c.sent_at, OUTBOX.c.attempts)
                .where(OUTBOX.c.event_id.in_(list(event_ids)))
                .order_by(OUTBOX.c.id)
            )
            return list(result.all())

    async def all_sent(self, event_ids: Sequence[str], attempts: int = 1) -> bool:
        rows = await self.rows(event_ids)
        return len(rows) == len(event_ids) and all(r.sent_at is not None and r.attempts == attempts for r in rows)

    def relay(self, settings: ServiceSettings | None = None, **options: float) -> OutboxRelay:
        return OutboxRelay(self.runtime.db, OUTBOX, settings or self.settings, **options)

    async def published(self) -> list[Any]:
        return await read_topic(self.settings.kafka_bootstrap_servers, self.topic)


@pytest.fixture
async def probe(stack: DevStack) -> AsyncIterator[Probe]:
    async with runtime_of(INTAKE) as runtime:
        settings = runtime.settings.with_overrides(kafka_topic_prefix=f"kt-{uuid.uuid4().hex[:12]}.")
        topic = settings.topic(PROBE_EVENT_TYPE)
        await new_topic(settings.kafka_bootstrap_servers, topic)
        yield Probe(runtime, settings, Outbox(OUTBOX, settings), topic, uuid.uuid4().hex)


@contextlib.asynccontextmanager
async def relaying(*relays: OutboxRelay) -> AsyncIterator[None]:
    stop = asyncio.Event()
    tasks = [asyncio.create_task(relay.run(stop)) for relay in relays]
    try:
        yield
    finally:
        stop.set()
        # A relay that crashed surfaces its exception here instead of vanishing.
        await asyncio.wait_for(asyncio.gather(*tasks), 20)


def metric(name: str) -> float:
    return REGISTRY.get_sample_value(name, {"service": "intake"}) or 0.0


async def relay_errors() -> float:
    return metric("jiuzhu_outbox_relay_errors_total")


async def test_an_event_added_in_a_rolled_back_transaction_leaves_no_row(probe: Probe) -> None:
    event = probe.event(0)
    seen_inside: list[int] = []

    async def add_then_fail() -> None:
        async with probe.runtime.db.sessions.begin() as session:
            await probe.outbox.add(session, event, key="hh-0")
            seen_inside.extend((await session.scalars(select(OUTBOX.c.id).where(OUTBOX.c.event_id == event.id))).all())
            raise RuntimeError("business rule failed")

    with pytest.raises(RuntimeError, match="business rule failed"):
        await add_then_fail()

    assert len(seen_inside) == 1  # the row existed inside the transaction...
    assert await probe.rows([event.id]) == []  # ...and went with its rollback


async def test_committed_rows_are_published_in_id_order_per_key_and_marked_sent(probe: Probe) -> None:
    event_ids = await probe.write(range(30))
    rows = await probe.rows(event_ids)
    assert [r.event_id for r in rows] == event_ids  # ids follow commit order
    assert {r.topic for r in rows} == {probe.topic}
    assert all(r.sent_at is None and r.attempts == 0 for r in rows)

    async with relaying(probe.relay(poll_interval=0.05)):
        await wait_until(lambda: probe.all_sent(event_ids), bool, timeout=15)

    by_key = seqs_by_key(await probe.published())
    assert by_key == {f"hh-{k}": [seq for seq in range(30) if seq % 3 == k] for k in range(3)}


async def test_a_relay_that_cannot_reach_the_broker_keeps_the_rows_for_a_relay_that_can(probe: Probe) -> None:
    event_ids = await probe.write(range(6))
    dead = probe.settings.with_overrides(kafka_bootstrap_servers=f"127.0.0.1:{free_port()}")
    errors_before, published_before = (
        metric("jiuzhu_outbox_relay_errors_total"),
        metric("jiuzhu_outbox_published_total"),
    )

    async with relaying(probe.relay(dead, poll_interval=0.05, max_backoff=0.1)):
        await wait_until(relay_errors, lambda errors: errors >= errors_before + 3, timeout=20)

    rows = await probe.rows(event_ids)
    assert [(r.sent_at, r.attempts) for r in rows] == [(None, 0)] * 6
    assert metric("jiuzhu_outbox_published_total") == published_before

    async with relaying(probe.relay(poll_interval=0.05)):
        await wait_until(lambda: probe.all_sent(event_ids), bool, timeout=15)

    assert sorted(seq for seqs in seqs_by_key(await probe.published()).values() for seq in seqs) == list(range(6))


async def _listening(probe: Probe) -> bool:
    async with probe.runtime.db.sessions() as session:
        found = await session.scalar(
            text("SELECT count(*) FROM pg_stat_activity WHERE query = :q AND datname = current_database()"),
            {"q": 'LISTEN "intake_outbox"'},
        )
    return bool(found)


async def test_a_commit_wakes_an_idle_relay_at_once_through_notify(probe: Probe) -> None:
    # Polling every 30 s would miss every deadline below: only the NOTIFY sent with each commit can wake it.
    async with relaying(probe.relay(poll_interval=30)):
        await wait_until(lambda: _listening(probe), bool, timeout=10)
        for round_ in range(3):
            await wait_until(functools.partial(probe.all_sent, await probe.write([round_])), bool, timeout=5)

    assert sorted(seq for seqs in seqs_by_key(await probe.published()).values() for seq in seqs) == [0, 1, 2]


async def test_mark_for_replay_publishes_again_every_event_created_since_a_time(probe: Probe) -> None:
    async with relaying(probe.relay(poll_interval=30)):
        await wait_until(lambda: _listening(probe), bool, timeout=10)
        before = await probe.write([0, 1, 2])
        await wait_until(lambda: probe.all_sent(before), bool, timeout=5)
        async with probe.runtime.db.sessions() as session:
            since = await session.scalar(text("SELECT clock_timestamp()"))
        after = await probe.write([3, 4, 5])
        await wait_until(lambda: probe.all_sent(after), bool, timeout=5)

        async with probe.runtime.db.sessions.begin() as session:
            assert await mark_for_replay(session, OUTBOX, since) == 3
            reset = await session.execute(
                select(OUTBOX.c.event_id, OUTBOX.c.sent_at).where(OUTBOX.c.event_id.in_([*before, *after]))
            )
            assert {r.event_id for r in reset if r.sent_at is None} == set(after)

        # The replay's NOTIFY wakes the idle relay; each replayed row is published a second time.
        await wait_until(lambda: probe.all_sent(after, attempts=2), bool, timeout=5)
        assert await probe.all_sent(before, attempts=1)

    published = Counter(seq for seqs in seqs_by_key(await probe.published()).values() for seq in seqs)
    assert published == {0: 1, 1: 1, 2: 1, 3: 2, 4: 2, 5: 2}


async def test_two_relays_on_one_outbox_publish_each_row_once_and_in_order(probe: Probe) -> None:
    # Small batches make the two relays take turns many times over the 60 rows.
    settings = probe.settings.with_overrides(relay_batch_size=5)
    event_ids = await probe.write(range(60))

    async with relaying(probe.relay(settings, poll_interval=0.01), probe.relay(settings, poll_interval=0.01)):
        await wait_until(lambda: probe.all_sent(event_ids), bool, timeout=20)

    # The per-schema advisory lock lets one batch at a time through, and a relay that gets the lock next selects
    # with a fresh snapshot that already sees the previous batch marked sent: so no duplicates, not "few".
    by_key = seqs_by_key(await probe.published())
    assert by_key == {f"hh-{k}": [seq for seq in range(60) if seq % 3 == k] for k in range(3)}
