"""The event path across services: one service's outbox, the real broker, another service's consumer."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select

from libs.devstack.stack import DevStack
from libs.kernel.diagnostics import probe_event
from libs.kernel.service import Runtime
from services.casework.definition import DEFINITION as CASEWORK
from services.intake.definition import DEFINITION as INTAKE
from tests.support.waiting import wait_until
from tests.support.workers import running_worker, runtime_of


async def receipts(runtime: Runtime, probe_id: str) -> int:
    t = runtime.definition.tables.probe_receipts
    async with runtime.db.sessions() as s:
        return int(await s.scalar(select(func.count()).where(t.c.probe_id == probe_id)) or 0)


async def test_an_event_written_by_intake_is_handled_once_by_casework(stack: DevStack) -> None:
    probe_id = uuid.uuid4().hex
    async with runtime_of(INTAKE) as intake, runtime_of(CASEWORK) as casework:
        async with intake.db.sessions.begin() as session:
            for seq in range(20):
                await intake.outbox.add(session, probe_event(probe_id, seq, source="intake"), key=f"hh-{seq % 3}")
        async with running_worker(intake), running_worker(casework):
            await wait_until(lambda: receipts(casework, probe_id), lambda n: n >= 20)
        assert await receipts(casework, probe_id) == 20
        t = INTAKE.tables.outbox
        async with intake.db.sessions() as s:
            unsent = await s.scalar(select(func.count()).where(t.c.sent_at.is_(None)))
        assert unsent == 0
