"""Scheduled jobs: one transaction per run, one replica at a time, a failure rolled back and retried."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from libs.devstack.stack import DevStack
from libs.kernel.db import Database
from libs.kernel.jobs import JobRunner, PeriodicJob
from libs.kernel.listening import notify_at_commit
from services.casework.definition import DEFINITION as CASEWORK
from tests.support.waiting import wait_until

RECEIPTS = CASEWORK.tables.probe_receipts


@pytest.fixture
async def db(stack: DevStack) -> AsyncIterator[Database]:
    database = Database(CASEWORK.settings(), CASEWORK.name)
    yield database
    await database.dispose()


async def _runs(db: Database, probe_id: str) -> int:
    async with db.sessions() as s:
        return int(await s.scalar(select(func.count()).where(RECEIPTS.c.probe_id == probe_id)) or 0)


def _recording_job(probe_id: str, *, running: list[int], overlaps: list[int], hold: asyncio.Event) -> PeriodicJob:
    async def run(session: AsyncSession) -> None:
        running.append(1)
        if len(running) > 1:
            overlaps.append(1)
        await session.execute(
            insert(RECEIPTS).values(probe_id=probe_id, seq=0, event_id="job", source="job", sent_at=datetime.now(UTC))
        )
        await hold.wait()
        running.pop()

    return PeriodicJob("record", timedelta(milliseconds=20), run)


async def test_two_replicas_never_run_the_same_job_at_once(db: Database) -> None:
    probe_id = uuid.uuid4().hex
    running: list[int] = []
    overlaps: list[int] = []
    hold = asyncio.Event()
    job = _recording_job(probe_id, running=running, overlaps=overlaps, hold=hold)
    first, second = JobRunner(db, job, "casework"), JobRunner(db, job, "casework")

    busy = asyncio.create_task(first.tick())
    await wait_until(lambda: asyncio.sleep(0, result=len(running)), lambda n: n == 1)
    assert await second.tick() is False  # the lock is held: this replica skips the tick
    hold.set()
    assert await busy is True
    assert await second.tick() is True
    assert overlaps == []
    assert await _runs(db, probe_id) == 2


async def test_a_failing_run_leaves_nothing_behind_and_the_loop_goes_on(db: Database) -> None:
    probe_id = uuid.uuid4().hex
    attempts: list[int] = []

    async def run(session: AsyncSession) -> None:
        attempts.append(1)
        await session.execute(
            insert(RECEIPTS).values(
                probe_id=probe_id, seq=len(attempts), event_id="job", source="job", sent_at=datetime.now(UTC)
            )
        )
        if len(attempts) == 1:
            raise RuntimeError("the first run fails after writing")

    stop = asyncio.Event()
    runner = JobRunner(db, PeriodicJob("flaky", timedelta(milliseconds=10), run), "casework")
    loop = asyncio.create_task(runner.run(stop))
    await wait_until(lambda: _runs(db, probe_id), lambda n: n >= 2)
    stop.set()
    await loop
    async with db.sessions() as s:
        seqs = set((await s.execute(select(RECEIPTS.c.seq).where(RECEIPTS.c.probe_id == probe_id))).scalars())
    assert 1 not in seqs  # the failed run's write was rolled back
    assert {2, 3} & seqs


async def test_a_woken_job_runs_at_its_writers_commit_not_at_its_next_look(db: Database) -> None:
    channel = f"test_job_{uuid.uuid4().hex[:12]}"
    runs: list[int] = []

    async def run(_session: AsyncSession) -> None:
        runs.append(1)

    stop = asyncio.Event()
    # It looks every 300 s: within this test only a notification can run it again.
    job = PeriodicJob("woken", timedelta(seconds=300), run, woken_by=channel)
    loop = asyncio.create_task(JobRunner(db, job, "casework").run(stop))
    try:
        await wait_until(lambda: asyncio.sleep(0, result=len(runs)), lambda n: n >= 1)  # the run after connecting
        before = len(runs)
        async with db.sessions.begin() as s:
            await notify_at_commit(s, channel)
        await wait_until(lambda: asyncio.sleep(0, result=len(runs)), lambda n: n == before + 1)
    finally:
        stop.set()
        await loop


async def test_a_transaction_says_each_wake_once(db: Database) -> None:
    statements: list[str] = []
    async with db.sessions.begin() as s:
        conn = await s.connection()
        event.listen(conn.sync_connection, "before_cursor_execute", lambda *a: statements.append(a[2]))
        for _ in range(3):
            await notify_at_commit(s, "test_job_once")
        await notify_at_commit(s, "test_job_other")
    assert len([q for q in statements if "pg_notify" in q]) == 2
