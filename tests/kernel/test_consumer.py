"""The inbox consumer, one record at a time: `EventConsumer.process` against the real casework schema.

Records are built by hand (as the broker would deliver them) so each test controls exactly what arrives and how often;
every test has its own consumer name (so its own inbox rows and dead letters) and its own probe id (its own effects).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import orjson
import pytest
from aiokafka.structs import ConsumerRecord
from prometheus_client import REGISTRY
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.events.casework import HouseholdChanged
from libs.devstack.stack import DevStack
from libs.kernel.consumer import EventConsumer, Handler, handling, on
from libs.kernel.db import Database
from libs.kernel.diagnostics import PROBE_EVENT_TYPE, probe_event, probe_handler
from libs.kernel.events import CloudEvent
from services.casework.definition import DEFINITION as CASEWORK

TABLES = CASEWORK.tables
MAX_RETRIES = 2


@dataclass
class Delivery:
    """A consumer under test and what it has done so far."""

    db: Database
    name: str = field(default_factory=lambda: f"kt-{uuid.uuid4().hex[:12]}")
    probe_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    calls: int = 0
    _offset: int = 0

    def consumer(self, handlers: dict[str, Handler]) -> EventConsumer:
        settings = CASEWORK.settings().with_overrides(consumer_max_retries=MAX_RETRIES)
        return EventConsumer(self.name, self.db, TABLES, settings, handlers, retry_base_delay=0.001)

    def event(self, seq: int, event_type: str = PROBE_EVENT_TYPE, **envelope: Any) -> CloudEvent:
        return probe_event(self.probe_id, seq, source="intake").model_copy(update={"type": event_type, **envelope})

    def record(self, payload: CloudEvent | bytes) -> ConsumerRecord[bytes, bytes]:
        value = payload.to_bytes() if isinstance(payload, CloudEvent) else payload
        self._offset += 1
        return ConsumerRecord(
            topic=PROBE_EVENT_TYPE,
            partition=1,
            offset=self._offset,
            timestamp=int(time.time() * 1000),
            timestamp_type=0,
            key=b"hh-1",
            value=value,
            checksum=None,
            serialized_key_size=4,
            serialized_value_size=len(value),
            headers=[],
        )

    def failing_then_writing(self, failures: int | None) -> Handler:
        """The probe handler, failing its first `failures` calls (every call when None) after writing its effect."""
        write = probe_handler(TABLES)

        async def handle(session: AsyncSession, event: CloudEvent) -> None:
            self.calls += 1
            await write(session, event)  # written, then rolled back with the failure
            if failures is None or self.calls <= failures:
                raise RuntimeError(f"handler failure {self.calls}")

        return handle

    async def effects(self) -> list[int]:
        t = TABLES.probe_receipts
        async with self.db.sessions() as s:
            return list((await s.scalars(select(t.c.seq).where(t.c.probe_id == self.probe_id).order_by(t.c.id))).all())

    async def inbox(self) -> list[tuple[str, str]]:
        t = TABLES.inbox
        async with self.db.sessions() as s:
            rows = await s.execute(select(t.c.event_id, t.c.event_type).where(t.c.consumer == self.name))
            return [(r.event_id, r.event_type) for r in rows]

    async def dead_letters(self) -> list[Any]:
        t = TABLES.dead_letters
        async with self.db.sessions() as s:
            return list((await s.execute(select(t).where(t.c.consumer == self.name).order_by(t.c.id))).all())

    def handled(self, outcome: str) -> float:
        labels = {"service": "casework", "consumer": self.name, "type": PROBE_EVENT_TYPE, "outcome": outcome}
        return REGISTRY.get_sample_value("jiuzhu_events_handled_total", labels) or 0.0


@pytest.fixture
async def delivery(stack: DevStack) -> AsyncIterator[Delivery]:
    db = Database(CASEWORK.settings(), CASEWORK.name)
    try:
        yield Delivery(db)
    finally:
        await db.dispose()


async def test_the_same_event_delivered_twice_has_one_effect_and_one_inbox_row(delivery: Delivery) -> None:
    consumer = delivery.consumer({PROBE_EVENT_TYPE: probe_handler(TABLES)})
    event = delivery.event(7)

    await consumer.process(delivery.record(event))
    await consumer.process(delivery.record(event))  # a redelivery: same event id, a later offset

    assert await delivery.effects() == [7]
    assert await delivery.inbox() == [(event.id, PROBE_EVENT_TYPE)]
    assert (delivery.handled("handled"), delivery.handled("duplicate")) == (1, 1)
    assert await delivery.dead_letters() == []


async def test_a_handler_that_fails_twice_then_succeeds_has_one_effect(delivery: Delivery) -> None:
    consumer = delivery.consumer({PROBE_EVENT_TYPE: delivery.failing_then_writing(failures=2)})
    event = delivery.event(3)

    await consumer.process(delivery.record(event))

    assert delivery.calls == 3
    assert await delivery.effects() == [3]  # the two failed attempts' writes rolled back
    assert await delivery.inbox() == [(event.id, PROBE_EVENT_TYPE)]
    assert await delivery.dead_letters() == []


async def test_a_handler_that_always_fails_parks_the_event_and_the_next_one_is_still_handled(
    delivery: Delivery,
) -> None:
    poison, good = delivery.event(1), delivery.event(2)
    always_failing = delivery.failing_then_writing(failures=None)

    async def fails_on_poison(session: AsyncSession, event: CloudEvent) -> None:
        if event.id == poison.id:
            await always_failing(session, event)
        else:
            await probe_handler(TABLES)(session, event)

    consumer = delivery.consumer({PROBE_EVENT_TYPE: fails_on_poison})
    record = delivery.record(poison)

    await consumer.process(record)

    assert delivery.calls == 1 + MAX_RETRIES
    assert await delivery.effects() == []
    [letter] = await delivery.dead_letters()
    assert (letter.topic, letter.partition, letter.offset) == (record.topic, record.partition, record.offset)
    assert (letter.event_id, letter.payload, letter.attempts) == (poison.id, record.value, 1 + MAX_RETRIES)
    assert "RuntimeError" in letter.error
    assert f"handler failure {1 + MAX_RETRIES}" in letter.error
    assert letter.resolved_at is None
    assert delivery.handled("dead") == 1

    # Redelivered (no offset commit before a crash): parked already, so neither retried nor parked twice.
    await consumer.process(delivery.record(poison))
    assert delivery.calls == 1 + MAX_RETRIES
    assert len(await delivery.dead_letters()) == 1

    await consumer.process(delivery.record(good))
    assert await delivery.effects() == [2]


async def test_a_parked_events_error_keeps_no_value_a_database_error_quoted(delivery: Delivery) -> None:
    """The dead letter's error is read by operators: like the logs, it leaves out what the database quoted."""
    poison = delivery.event(7)

    async def database_error(session: AsyncSession, event: CloudEvent) -> None:
        delivery.calls += 1
        raise RuntimeError("invalid input for query argument $1: '140402198001011234' (value out of range)")

    await delivery.consumer({PROBE_EVENT_TYPE: database_error}).process(delivery.record(poison))
    [letter] = await delivery.dead_letters()
    assert "query argument $1" in letter.error
    assert "140402198001011234" not in letter.error


@pytest.mark.parametrize(
    "payload",
    [
        pytest.param(b"this is not json", id="not-json"),
        pytest.param(b"\xff\xfe\x00garbage", id="not-utf8"),
        pytest.param(b"", id="empty"),
        pytest.param(b'{"hello": "world"}', id="json-not-a-cloudevent"),
        pytest.param(b'["platform-probe"]', id="json-array"),
        pytest.param(
            orjson.dumps(
                {
                    "specversion": "1.0",
                    "id": str(uuid.uuid4()),
                    "type": PROBE_EVENT_TYPE,
                    "source": "intake",
                    "time": "yesterday",
                    "data": {},
                }
            ),
            id="bad-time",
        ),
    ],
)
async def test_an_unreadable_payload_is_dead_lettered_without_an_exception(delivery: Delivery, payload: bytes) -> None:
    consumer = delivery.consumer({PROBE_EVENT_TYPE: probe_handler(TABLES)})
    record = delivery.record(payload)

    await consumer.process(record)

    [letter] = await delivery.dead_letters()
    assert letter.error.startswith("unreadable envelope")
    assert (letter.event_id, letter.payload, letter.attempts, letter.offset) == (None, payload, 1, record.offset)
    assert await delivery.inbox() == []
    assert await delivery.effects() == []


async def test_an_event_whose_id_is_not_a_uuid_is_handled_once(delivery: Delivery) -> None:
    # CloudEvents 1.0 allows any non-empty string as `id`: the inbox keys on text, so a partner's id is claimed too.
    consumer = delivery.consumer({PROBE_EVENT_TYPE: probe_handler(TABLES)})
    odd = delivery.event(1, id="partner-event-0001")

    await consumer.process(delivery.record(odd))
    await consumer.process(delivery.record(odd))

    assert await delivery.dead_letters() == []
    assert len(await delivery.effects()) == 1


async def test_an_event_type_without_a_handler_is_ignored(delivery: Delivery) -> None:
    consumer = delivery.consumer({PROBE_EVENT_TYPE: delivery.failing_then_writing(failures=None)})

    await consumer.process(delivery.record(delivery.event(1, event_type="household-changed")))

    assert delivery.calls == 0
    assert await delivery.inbox() == []
    assert await delivery.dead_letters() == []
    assert await delivery.effects() == []


async def test_effects_are_counted_by_the_probe_receipts(delivery: Delivery) -> None:
    # The diagnostics endpoint counts duplicates as extra receipts: prove the table really has no unique guard.
    write = probe_handler(TABLES)
    event = delivery.event(5)
    async with delivery.db.sessions.begin() as session:
        await write(session, event)
        await write(session, event)
    async with delivery.db.sessions() as s:
        t = TABLES.probe_receipts
        count = await s.scalar(select(func.count()).where(t.c.event_id == event.id))
    assert count == 2


async def _ignore(session: AsyncSession, ctx: object, payload: object) -> None:
    return None


def test_a_subscription_line_names_the_event_type_its_model_carries() -> None:
    handlers = handling(on(HouseholdChanged, None, _ignore))

    assert list(handlers) == [HouseholdChanged.event_type]


def test_one_consumer_handles_an_event_type_once() -> None:
    with pytest.raises(ValueError, match="handled twice"):
        handling(on(HouseholdChanged, None, _ignore), on(HouseholdChanged, None, _ignore))
