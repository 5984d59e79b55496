"""1,000 events through the outbox while the relay and the consumer are killed (SIGKILL) and restarted:
exactly 1,000 effects in the consumer's table, none twice, none lost."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from libs.devstack.stack import DevStack
from libs.kernel.diagnostics import probe_event
from libs.kernel.service import Runtime
from services.casework.definition import DEFINITION as CASEWORK
from services.intake.definition import DEFINITION as INTAKE
from tests.support.service_process import ServiceProcess
from tests.support.waiting import wait_until
from tests.support.workers import runtime_of

TOTAL = 1000
CHUNK = 100


@pytest.fixture
def workers(stack: DevStack, tmp_path: Path) -> Iterator[tuple[ServiceProcess, ServiceProcess]]:
    env = {**stack.environment(), "JIUZHU_ENVIRONMENT": "test"}
    relay = ServiceProcess("services.intake", "worker", env, tmp_path / "intake-worker.log")
    consumer = ServiceProcess("services.casework", "worker", env, tmp_path / "casework-worker.log")
    relay.start()
    consumer.start()
    yield relay, consumer
    relay.stop()
    consumer.stop()


async def _counts(runtime: Runtime, probe_id: str) -> tuple[int, int]:
    t = runtime.definition.tables.probe_receipts
    async with runtime.db.sessions() as s:
        row = (
            await s.execute(select(func.count(), func.count(func.distinct(t.c.seq))).where(t.c.probe_id == probe_id))
        ).one()
    return int(row[0]), int(row[1])


async def _write_chunk(intake: Runtime, probe_id: str, start: int) -> None:
    async with intake.db.sessions.begin() as session:
        for seq in range(start, start + CHUNK):
            await intake.outbox.add(session, probe_event(probe_id, seq, source="intake"), key=f"household-{seq % 50}")


@pytest.mark.slow
async def test_no_event_is_lost_or_applied_twice_when_workers_crash(
    workers: tuple[ServiceProcess, ServiceProcess],
) -> None:
    relay, consumer = workers
    probe_id = uuid.uuid4().hex
    async with runtime_of(INTAKE) as intake, runtime_of(CASEWORK) as casework:
        for start in range(0, TOTAL, CHUNK):
            await _write_chunk(intake, probe_id, start)
            if start == 300:
                # Kill the consumer while it is working through the first chunks.
                await wait_until(lambda: _counts(casework, probe_id), lambda c: c[0] >= 150, timeout=60)
                consumer.restart_after_crash()
            elif start == 500:
                relay.restart_after_crash()
            elif start == 700:
                await wait_until(lambda: _counts(casework, probe_id), lambda c: c[0] >= 350, timeout=90)
                relay.restart_after_crash()
                consumer.restart_after_crash()
        received, distinct = await wait_until(
            lambda: _counts(casework, probe_id), lambda c: c[0] >= TOTAL, timeout=180, every=0.2
        )
        assert (received, distinct) == (TOTAL, TOTAL)
        t = INTAKE.tables.outbox
        async with intake.db.sessions() as s:
            unsent = await s.scalar(select(func.count()).where(t.c.sent_at.is_(None)))
        assert unsent == 0
