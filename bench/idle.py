"""Idle: the CPU the whole system uses doing nothing (issue 23, "idle means idle").

The whole system as `bench.system_stack` starts it (every service's API and worker, the gateway, PostgreSQL, the
broker), left alone to settle, then its CPU time measured over a window in which nobody sends anything: the figure is
cores busy (CPU seconds per second), in all and by kind of process; then the database connections the system holds
open, by application name. `--wake broker` runs the services as before the
nudges (each idle consumer fetching every `CONSUMER_FETCH_MAX_WAIT_MS`, 10 ms), `--wake nudge` as now; the same command
with both, one after the other, is the comparison.

    python -m bench.idle [--settle 20] [--window 30] [--wake nudge|broker]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from pathlib import Path

import asyncpg

from bench.support import cpu_seconds, machine, process_kind
from bench.system_stack import SERVICES, whole_system


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--settle", type=float, default=20.0, help="seconds left alone before measuring")
    parser.add_argument("--window", type=float, default=30.0, help="seconds measured")
    parser.add_argument("--wake", choices=("nudge", "broker"), default="nudge")
    args = parser.parse_args()
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory(prefix="bench-idle-") as logs:
        env = {"CONSUMER_WAKE": args.wake}
        with whole_system(Path(logs), service_env=env) as system:
            time.sleep(args.settle)
            label = "bench"
            before, started = cpu_seconds(label, lambda c: process_kind(c, SERVICES)), time.monotonic()
            time.sleep(args.window)
            after, elapsed = cpu_seconds(label, lambda c: process_kind(c, SERVICES)), time.monotonic() - started
            connections = asyncio.run(open_connections(system.stack.database_url))
    busy = {kind: (after[kind] - before.get(kind, 0.0)) / elapsed for kind in after if kind != label}
    load = os.getloadavg()
    print(
        f"idle, CONSUMER_WAKE={args.wake}: {sum(busy.values()):.3f} cores busy over {elapsed:.0f} s "
        f"(load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f})"
    )
    for kind, cores in sorted(busy.items(), key=lambda kv: -kv[1]):
        print(f"  {kind:24} {cores:.3f}")
    print(f"database connections open at the end: {sum(connections.values())}")
    for name, n in sorted(connections.items()):
        print(f"  {name or '(no application name)':24} {n}")


async def open_connections(database_url: str) -> dict[str, int]:
    """Client connections PostgreSQL holds open, by application name (this query's own left out)."""
    conn = await asyncpg.connect(database_url)
    try:
        rows = await conn.fetch(
            "SELECT application_name, count(*) AS n FROM pg_stat_activity"
            " WHERE backend_type = 'client backend' AND pid <> pg_backend_pid() GROUP BY 1"
        )
    finally:
        await conn.close()
    return {r["application_name"]: int(r["n"]) for r in rows}


if __name__ == "__main__":
    main()
