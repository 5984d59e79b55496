"""Event latency: from an event written to one service's outbox (just before its commit) to the end of the handler
in another service's worker, through the real broker.

Each event is its own transaction, as a request would be, paced so the path is measured rather than a queue. The
consumer stamps `clock_timestamp()` in its handler's transaction; the producer stamps the event's `sent_at` in
Python just before the commit, so the figure slightly overstates the latency (it includes the commit itself).

    python -m bench.event_latency [--events 1000] [--rate 100]
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import select

from bench.support import bench_stack, machine, process, summary
from libs.kernel.db import Database
from libs.kernel.diagnostics import probe_event
from libs.kernel.outbox import Outbox
from services.casework.definition import DEFINITION as CASEWORK
from services.intake.definition import DEFINITION as INTAKE


async def publish(db: Database, outbox: Outbox, probe_id: str, events: int, rate: float) -> None:
    interval = 1.0 / rate
    next_at = time.perf_counter()
    for seq in range(events):
        async with db.sessions.begin() as session:
            event = probe_event(probe_id, seq, source="intake")
            await outbox.add(session, event, key=f"household-{seq % 64}")
        next_at += interval
        await asyncio.sleep(max(0.0, next_at - time.perf_counter()))


async def latencies_ms(db: Database, probe_id: str, expected: int, timeout: float = 120) -> list[float]:
    t = CASEWORK.tables.probe_receipts
    query = select(t.c.received_at - t.c.sent_at).where(t.c.probe_id == probe_id)
    deadline = time.monotonic() + timeout
    while True:
        async with db.sessions() as session:
            rows = (await session.execute(query)).scalars().all()
        if len(rows) >= expected or time.monotonic() > deadline:
            return [r.total_seconds() * 1000 for r in rows]
        await asyncio.sleep(0.2)


async def run(events: int, rate: float) -> list[float]:
    logs = Path(tempfile.mkdtemp(prefix="jiuzhu-bench-"))
    with bench_stack("services.intake", "services.casework") as (_, env):
        intake_db = Database(INTAKE.settings(), INTAKE.name)
        casework_db = Database(CASEWORK.settings(), CASEWORK.name)
        outbox = Outbox(INTAKE.tables.outbox, INTAKE.settings())
        try:
            with (
                process("services.intake", "worker", env, logs / "intake.log"),
                process("services.casework", "worker", env, logs / "casework.log"),
            ):
                warm = uuid.uuid4().hex  # joins the consumer group and opens every connection first
                await publish(intake_db, outbox, warm, 50, rate)
                await latencies_ms(casework_db, warm, 50)
                probe_id = uuid.uuid4().hex
                await publish(intake_db, outbox, probe_id, events, rate)
                return await latencies_ms(casework_db, probe_id, events)
        finally:
            await intake_db.dispose()
            await casework_db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=100.0, help="events per second")
    args = parser.parse_args()
    values = asyncio.run(run(args.events, args.rate))
    print(f"machine: {machine()}")
    print(
        f"event latency, outbox commit -> handled by another service's consumer ({args.events} events at "
        f"{args.rate:.0f}/s): {summary(values)}"
    )
    if len(values) < args.events:
        print(f"WARNING: only {len(values)} of {args.events} events arrived")


if __name__ == "__main__":
    main()
