"""The development broker keeps nothing across a restart: events it lost are published again from the outbox with
the replay command, and consumers apply each exactly once (ARCHITECTURE.md, running it)."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from libs.devstack.stack import DevStack
from libs.kernel.diagnostics import probe_event
from libs.kernel.service import Runtime
from services.casework.definition import DEFINITION as CASEWORK
from services.intake.definition import DEFINITION as INTAKE
from tests.support.service_process import REPO_ROOT, ServiceProcess
from tests.support.waiting import wait_until
from tests.support.workers import runtime_of


async def _received(runtime: Runtime, probe_id: str) -> tuple[int, int]:
    t = runtime.definition.tables.probe_receipts
    async with runtime.db.sessions() as s:
        query = select(func.count(), func.count(func.distinct(t.c.seq))).where(t.c.probe_id == probe_id)
        row = (await s.execute(query)).one()
    return int(row[0]), int(row[1])


async def _unsent(runtime: Runtime) -> int:
    t = runtime.definition.tables.outbox
    async with runtime.db.sessions() as s:
        return int(await s.scalar(select(func.count()).where(t.c.sent_at.is_(None))) or 0)


async def _write(intake: Runtime, probe_id: str, seqs: range) -> None:
    async with intake.db.sessions.begin() as session:
        for seq in seqs:
            event = probe_event(probe_id, seq, source="intake")
            await intake.outbox.add(session, event, key=f"household-{seq % 7}")


@pytest.mark.slow
async def test_replay_after_the_broker_lost_its_data(stack: DevStack, tmp_path: Path) -> None:
    env = {**stack.environment(), "JIUZHU_ENVIRONMENT": "test"}
    relay = ServiceProcess("services.intake", "worker", env, tmp_path / "intake.log")
    consumer = ServiceProcess("services.casework", "worker", env, tmp_path / "casework.log")
    probe_id = uuid.uuid4().hex
    since = datetime.now(UTC) - timedelta(seconds=1)
    relay.start()
    consumer.start()
    try:
        async with runtime_of(INTAKE) as intake, runtime_of(CASEWORK) as casework:
            await _write(intake, probe_id, range(100))
            await wait_until(lambda: _received(casework, probe_id), lambda c: c[0] >= 100, timeout=60)

            # The consumer is down while the next events are published; then the broker loses them all.
            consumer.stop()
            await _write(intake, probe_id, range(100, 200))
            await wait_until(lambda: _unsent(intake), lambda n: n == 0, timeout=60)
            relay.stop()
            await asyncio.to_thread(stack.restart_broker)  # it creates the topics on its own loop
            relay.start()
            consumer.start()

            replay = await asyncio.to_thread(
                subprocess.run,
                [sys.executable, "-m", "services.intake", "replay", "--since", since.isoformat()],
                env={**env, "PYTHONPATH": str(REPO_ROOT)},
                cwd=REPO_ROOT,
                capture_output=True,
                text=True,
                check=False,
            )
            assert replay.returncode == 0, replay.stderr
            # At least our 200 (other tests' events created since then are queued too, and are harmless).
            assert json.loads(replay.stdout.splitlines()[-1])["events"] >= 200

            received = await wait_until(
                lambda: _received(casework, probe_id), lambda c: c[0] >= 200, timeout=120, every=0.2
            )
            assert received == (200, 200)
            await wait_until(lambda: _unsent(intake), lambda n: n == 0, timeout=60)
            assert await _received(casework, probe_id) == (200, 200)
    finally:
        relay.stop()
        consumer.stop()
