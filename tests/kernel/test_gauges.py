"""The worker's gauges: backlogs from the database, consumer lag from the real broker."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.structs import OffsetAndMetadata
from prometheus_client import REGISTRY
from sqlalchemy import insert

from libs.devstack.stack import DevStack
from libs.kernel.diagnostics import PROBE_EVENT_TYPE, probe_event
from libs.kernel.gauges import Backlog, GaugeSampler
from libs.kernel.service import ServiceDefinition
from services.intake.definition import DEFINITION as INTAKE
from tests.support.kernel_kafka import new_topic
from tests.support.stack import SERVICES
from tests.support.workers import runtime_of


def gauge(metric: str, **labels: str) -> float:
    value = REGISTRY.get_sample_value(metric, labels)
    assert value is not None, f"{metric}{labels} was never set"
    return value


def _today() -> date:
    return datetime.now(UTC).date()


async def test_outbox_backlog_and_a_services_own_backlog_are_sampled(stack: DevStack) -> None:
    event = probe_event(uuid.uuid4().hex, 0, source="intake")
    week_ago = datetime.now(UTC) - timedelta(days=7)
    t = INTAKE.tables.outbox
    async with runtime_of(INTAKE) as rt:
        async with rt.db.sessions.begin() as s:
            # Unsent and a week old (no relay runs here): the oldest unsent is at least that old.
            await s.execute(
                insert(t).values(event_id=event.id, topic="gauge-test", key="k", payload=b"{}", created_at=week_ago)
            )
        mine = Backlog(
            "pending", "gauge_test", "SELECT count(*), min(created_at) FROM intake.outbox WHERE topic = 'gauge-test'"
        )
        sampler = GaugeSampler(
            rt.db, INTAKE.tables, rt.settings, consumers={}, backlogs=(mine,), clock=lambda: datetime.now(UTC),
            today=_today,
        )  # fmt: skip
        try:
            await sampler.sample_database()
        finally:
            async with rt.db.sessions.begin() as s:
                await s.execute(t.delete().where(t.c.event_id == event.id))
    assert gauge("jiuzhu_outbox_unsent", service="intake") >= 1
    assert gauge("jiuzhu_outbox_oldest_unsent_seconds", service="intake") >= 7 * 86400 - 60
    assert gauge("jiuzhu_dead_letters", service="intake") >= 0
    assert gauge("jiuzhu_backlog_items", service="intake", kind="pending", name="gauge_test") == 1
    assert gauge("jiuzhu_backlog_oldest_seconds", service="intake", kind="pending", name="gauge_test") >= 7 * 86400 - 60


@pytest.mark.parametrize("service", sorted(SERVICES))
async def test_every_services_backlog_queries_run(stack: DevStack, service: str) -> None:
    definition: ServiceDefinition = SERVICES[service]
    async with runtime_of(definition) as rt:
        sampler = GaugeSampler(
            rt.db, definition.tables, rt.settings, consumers={}, backlogs=definition.backlogs,
            clock=lambda: datetime.now(UTC), today=_today,
        )  # fmt: skip
        await sampler.sample_database()
    for backlog in definition.backlogs:
        labels = {"service": definition.name, "kind": backlog.kind, "name": backlog.name}
        assert gauge("jiuzhu_backlog_items", **labels) >= 0
        assert gauge("jiuzhu_backlog_oldest_seconds", **labels) >= 0


async def test_consumer_lag_is_what_the_group_has_not_committed(stack: DevStack) -> None:
    prefix = f"lag-{uuid.uuid4().hex[:10]}."
    # A group of its own: the platform consumer's group may be live in this session (a commit from outside fails).
    name = f"lag-{uuid.uuid4().hex[:8]}"
    topic = f"{prefix}{PROBE_EVENT_TYPE}"
    await new_topic(stack.bootstrap_servers, topic, partitions=1)
    producer = AIOKafkaProducer(bootstrap_servers=stack.bootstrap_servers, acks="all", enable_idempotence=False)
    await producer.start()
    try:
        for seq in range(5):  # one batch each, so the development broker's end offset is exact
            await producer.send_and_wait(topic, f"m{seq}".encode(), partition=0)
    finally:
        await producer.stop()
    async with runtime_of(INTAKE) as rt:
        settings = rt.settings.with_overrides(kafka_topic_prefix=prefix)
        sampler = GaugeSampler(
            rt.db, INTAKE.tables, settings, consumers={name: (PROBE_EVENT_TYPE,)},
            clock=lambda: datetime.now(UTC), today=_today,
        )  # fmt: skip
        try:
            assert await sampler.sample_lag() == {name: 5}  # nothing committed: all of it
            group = AIOKafkaConsumer(
                bootstrap_servers=stack.bootstrap_servers, group_id=f"intake.{name}", enable_auto_commit=False
            )
            await group.start()
            try:
                tp = TopicPartition(topic, 0)
                group.assign([tp])
                await group.commit({tp: OffsetAndMetadata(3, "")})
            finally:
                await group.stop()
            assert await sampler.sample_lag() == {name: 2}
        finally:
            await sampler.close()
    assert gauge("jiuzhu_consumer_lag", service="intake", consumer=name) == 2
