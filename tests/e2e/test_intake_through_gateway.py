"""An application through the gateway and the broker, every piece a real process: the gateway, intake in role `all`
(API, outbox relay and consumers), PostgreSQL and the broker.

A township officer signs in with the password grant, then creates, submits and accepts a dibao application; the
`application-submitted` event is read back from the broker. Delivery is at least once (CONTRACTS.md §6), so events
are delivered twice on purpose: the same `application-submitted` to a kernel `EventConsumer` of this test, and a
`case-decided` to intake's own consumer; each has one effect. A later event on the same key (so the same partition,
handled after both copies) marks the moment both copies are known to be processed, so "one effect" is never asserted
too early.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition
from pydantic import ValidationError
from sqlalchemy import Column, MetaData, Table, Text, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.cli import migrate as migrate_gateway
from gateway.config import GatewaySettings
from libs.contracts.events.casework import CaseDecided, CaseOutcome
from libs.contracts.programs import Program
from libs.devstack.broker import DEFAULT_PARTITIONS
from libs.devstack.processes import wait_for_http
from libs.devstack.stack import DevStack
from libs.kernel.consumer import EventConsumer
from libs.kernel.db import Database
from libs.kernel.events import CloudEvent, new_event
from libs.kernel.messaging_tables import MessagingTables
from libs.kernel.pii import PiiVault
from libs.kernel.settings import BaseServiceSettings
from services.intake.definition import DEFINITION as INTAKE
from tests.support.accounts import ADMIN_PASSWORD, unique_name
from tests.support.applications import application_body
from tests.support.regions import new_village
from tests.support.service_process import REPO_ROOT, ServiceProcess, service_environment
from tests.support.waiting import wait_until

# This test's own consumer keeps its inbox, and the one row its handler writes per event, in a schema of its own.
EFFECTS_SCHEMA = "e2e_effects"
_effects_metadata = MetaData(schema=EFFECTS_SCHEMA)
EFFECTS_TABLES = MessagingTables(_effects_metadata)
# Deliberately no unique constraint: a second effect of one event would show up as a second row.
EFFECTS = Table("effects", _effects_metadata, Column("event_id", Text, nullable=False))


@dataclass
class System:
    base_url: str
    bootstrap: str
    topic_prefix: str

    def topic(self, event_type: str) -> str:
        return f"{self.topic_prefix}{event_type}"


@pytest.fixture(scope="module")
def system(stack: DevStack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[System]:
    logs = tmp_path_factory.mktemp("e2e-intake")
    env = service_environment(stack)
    migrate_gateway(GatewaySettings(database_url=stack.database_url, environment="test"))
    # tests/gateway's admin password, so whichever module runs first creates the one admin both can use.
    admin_env = {**env, "JIUZHU_ADMIN_PASSWORD": ADMIN_PASSWORD}
    subprocess.run([sys.executable, "-m", "gateway", "ensure-admin"], env=admin_env, cwd=REPO_ROOT, check=True)
    intake = ServiceProcess("services.intake", "all", env, logs / "intake.log")
    gateway = ServiceProcess("gateway", "api", {**env, "GATEWAY_INTAKE_URL": intake.url}, logs / "gateway.log")
    try:
        intake.start()
        assert intake.proc is not None
        # In role `all` /readyz checks the broker as well as the database.
        wait_for_http(f"{intake.url}/readyz", watch={"intake": (intake.proc, intake.log_path)}, timeout=90)
        gateway.start()
        assert gateway.proc is not None
        # /healthz: the gateway's /readyz wants all five services, and only intake runs here.
        wait_for_http(f"{gateway.url}/healthz", watch={"gateway": (gateway.proc, gateway.log_path)}, timeout=90)
        yield System(gateway.url, stack.bootstrap_servers, stack.topic_prefix)
    finally:
        gateway.stop()
        intake.stop()


@dataclass
class Officer:
    http: httpx.AsyncClient  # the gateway, with the officer's bearer token
    township: str


async def _token(http: httpx.AsyncClient, username: str, password: str) -> str:
    form = {"grant_type": "password", "username": username, "password": password}
    reply = await http.post("/api/v1/auth/token", data=form)
    assert reply.status_code == 200, reply.text
    return str(reply.json()["access_token"])


@pytest.fixture(scope="module")
async def officer(system: System) -> AsyncIterator[Officer]:
    """A township officer of a township no other test uses, created and signed in through the gateway."""
    township = new_village("140402")[:9]
    async with httpx.AsyncClient(base_url=system.base_url, timeout=30) as http:
        admin = {"Authorization": f"Bearer {await _token(http, 'admin', ADMIN_PASSWORD)}"}
        username, password = unique_name("officer"), f"pw-{uuid.uuid4().hex}"
        user = {"username": username, "password": password, "display_name": "乡镇 经办人",
                "roles": ["township_officer"], "region_code": township}  # fmt: skip
        created = await http.post("/api/v1/admin/users", json=user, headers=admin)
        assert created.status_code == 201, created.text
        http.headers["Authorization"] = f"Bearer {await _token(http, username, password)}"
        yield Officer(http, township)


@dataclass
class Accepted:
    body: dict[str, Any]
    reply: dict[str, Any]
    request_id: str  # the X-Request-ID of the accept call

    @property
    def id(self) -> str:
        return str(self.reply["application_id"])


async def accept_new_application(officer: Officer) -> Accepted:
    """Create, submit and accept a three-member dibao application in a village of the officer's township."""
    body = application_body(f"{officer.township}{uuid.uuid4().int % 900 + 100:03d}")
    created = await officer.http.post("/api/v1/intake/applications", json=body)
    assert created.status_code == 201, created.text
    path = f"/api/v1/intake/applications/{created.json()['application_id']}"
    submitted = await officer.http.post(f"{path}/submit")
    assert submitted.status_code == 200, submitted.text
    request_id = f"e2e-accept-{uuid.uuid4().hex}"
    accepted = await officer.http.post(f"{path}/accept", headers={"X-Request-ID": request_id})
    assert accepted.status_code == 200, accepted.text
    assert accepted.headers["x-request-id"] == request_id
    assert accepted.json()["status"] == "accepted"
    return Accepted(body, accepted.json(), request_id)


def _event(record: ConsumerRecord[bytes, bytes]) -> CloudEvent | None:
    try:
        return CloudEvent.from_bytes(record.value or b"")
    except ValidationError:  # another test's end-of-read marker, say
        return None


async def records_where(
    system: System, event_type: str, match: Callable[[CloudEvent], bool]
) -> list[ConsumerRecord[bytes, bytes]]:
    """The records of `event_type` whose event matches, waiting for one: every partition from the start, no group."""
    topic = system.topic(event_type)
    reader = AIOKafkaConsumer(bootstrap_servers=system.bootstrap, enable_auto_commit=False)
    await reader.start()
    try:
        partitions = [TopicPartition(topic, p) for p in range(DEFAULT_PARTITIONS)]
        reader.assign(partitions)
        await reader.seek_to_beginning(*partitions)
        found: list[ConsumerRecord[bytes, bytes]] = []

        async def poll() -> list[ConsumerRecord[bytes, bytes]]:
            for batch in (await reader.getmany(timeout_ms=200)).values():
                found.extend(r for r in batch if (event := _event(r)) is not None and match(event))
            return found

        return await wait_until(poll, bool, timeout=60)
    finally:
        await reader.stop()


async def produce(system: System, event_type: str, *messages: tuple[bytes, bytes]) -> None:
    """Send (key, value) messages in order, each acknowledged before the next is sent."""
    producer = AIOKafkaProducer(bootstrap_servers=system.bootstrap, acks="all", enable_idempotence=False)
    await producer.start()
    try:
        for key, value in messages:
            await producer.send_and_wait(system.topic(event_type), value, key=key)
    finally:
        await producer.stop()


@pytest.fixture(scope="module")
async def published(officer: Officer, system: System) -> tuple[Accepted, ConsumerRecord[bytes, bytes]]:
    """An accepted application, and its `application-submitted` record as the outbox relay published it."""
    accepted = await accept_new_application(officer)
    subject = f"application/{accepted.id}"
    records = await records_where(system, "application-submitted", lambda e: e.subject == subject)
    return accepted, records[0]


async def test_accepting_publishes_application_submitted_with_the_request_id(
    published: tuple[Accepted, ConsumerRecord[bytes, bytes]],
) -> None:
    accepted, record = published
    event = CloudEvent.from_bytes(record.value or b"")
    assert (event.type, event.source, event.subject) == (
        "application-submitted",
        "intake",
        f"application/{accepted.id}",
    )
    assert event.correlationid == accepted.request_id
    data = event.data
    assert data["application_id"] == accepted.id
    assert data["application_no"] == accepted.reply["application_no"]
    assert accepted.reply["due_date"] is not None
    assert data["due_date"] == accepted.reply["due_date"]
    assert data["accepted_at"] is not None
    assert (data["program"], data["region_code"]) == ("dibao", accepted.body["region_code"])
    members = [(m["id_number"], m["relation"]) for m in data["members"]]
    assert members == [(m["id_number"], m["relation"]) for m in accepted.body["members"]]
    assert data["applicant"]["id_number"] == accepted.body["applicant_id_number"]
    # The key is the applicant's keyed hash: no household exists yet (CONTRACTS.md §6).
    vault = PiiVault(INTAKE.settings().pii_key.get_secret_value())
    assert record.key == vault.keyed_hash(accepted.body["applicant_id_number"]).encode()
    # The bank account travels sealed, never in clear.
    assert accepted.body["bank_account"]["account_no"] not in (record.value or b"").decode()


@pytest.fixture
async def effects_db(stack: DevStack) -> AsyncIterator[Database]:
    settings = BaseServiceSettings(service_name="e2e")
    db = Database(settings, EFFECTS_SCHEMA)
    async with db.engine.begin() as conn:
        await conn.execute(text(f"CREATE SCHEMA IF NOT EXISTS {EFFECTS_SCHEMA}"))
        await conn.run_sync(_effects_metadata.create_all)
    try:
        yield db
    finally:
        await db.dispose()


async def _record_effect(session: AsyncSession, event: CloudEvent) -> None:
    await session.execute(EFFECTS.insert().values(event_id=event.id))


async def _count(db: Database, table: Table, event_id: str) -> int:
    async with db.sessions() as s:
        return int(await s.scalar(select(func.count()).where(table.c.event_id == event_id)) or 0)


async def test_a_consumer_handles_the_event_once_when_it_is_delivered_twice(
    published: tuple[Accepted, ConsumerRecord[bytes, bytes]], system: System, effects_db: Database
) -> None:
    _, record = published
    key, value = record.key or b"", record.value or b""
    event = CloudEvent.from_bytes(value)
    later = event.model_copy(update={"id": str(uuid.uuid4())})
    await produce(system, "application-submitted", (key, value), (key, later.to_bytes()))  # a redelivery, then later

    consumer = EventConsumer(
        f"e2e-{uuid.uuid4().hex[:12]}",  # its own consumer group, reading the topic from the start
        effects_db,
        EFFECTS_TABLES,
        effects_db.settings,
        {"application-submitted": _record_effect},
    )
    stop = asyncio.Event()
    task = asyncio.create_task(consumer.run(stop))
    try:
        await wait_until(lambda: _count(effects_db, EFFECTS, later.id), lambda n: n == 1, timeout=90, every=0.1)
    finally:
        stop.set()
        await asyncio.wait_for(task, 30)
    assert await _count(effects_db, EFFECTS, event.id) == 1
    assert await _count(effects_db, EFFECTS_TABLES.inbox, event.id) == 1


def _decided(application_id: str, case_id: str) -> CloudEvent:
    payload = CaseDecided(
        case_id=case_id,
        application_id=application_id,
        program=Program.DIBAO,
        outcome=CaseOutcome.APPROVED,
        reasons=("收入低于当地低保标准",),
        effective_month="2026-12",
        decided_at=datetime.now(UTC),
    )
    return new_event(payload.event_type, source="casework", subject=f"case/{case_id}", data=payload)


async def test_intake_applies_a_decision_delivered_twice_once(officer: Officer, system: System) -> None:
    accepted = await accept_new_application(officer)
    decided, later = _decided(accepted.id, "case-e2e-1"), _decided(accepted.id, "case-e2e-2")
    key = f"application/{accepted.id}".encode()
    await produce(system, "case-decided", (key, decided.to_bytes()), (key, decided.to_bytes()), (key, later.to_bytes()))

    async def history() -> list[str]:
        reply = await officer.http.get(f"/api/v1/intake/applications/{accepted.id}")
        assert reply.status_code == 200, reply.text
        return [h["action"] for h in reply.json()["history"]]

    # The later decision finds the application decided already, so it is only noted ("decision_received").
    actions = await wait_until(history, lambda a: "decision_received" in a, timeout=90, every=0.1)
    assert actions == ["created", "submitted", "accepted", "decided", "decision_received"]
    reply = (await officer.http.get(f"/api/v1/intake/applications/{accepted.id}")).json()
    assert reply["status"] == "decided"
    assert (reply["decision"]["case_id"], reply["decision"]["outcome"]) == ("case-e2e-1", "approved")
    intake_db = Database(INTAKE.settings(), INTAKE.name)
    try:
        assert await _count(intake_db, INTAKE.tables.inbox, decided.id) == 1
    finally:
        await intake_db.dispose()
