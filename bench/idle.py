"""Idle: the CPU the whole system uses doing nothing (issue 23, "idle means idle").

The whole system as `bench.system_stack` starts it (every service's API and worker, the gateway, PostgreSQL, the
broker), left alone to settle, then its CPU time measured over a window in which nobody sends anything: the figure is
cores busy (CPU seconds per second), in all and by kind of process. `--wake broker` runs the services as before the
nudges (each idle consumer fetching every `CONSUMER_FETCH_MAX_WAIT_MS`, 10 ms), `--wake nudge` as now; the same command
with both, one after the other, is the comparison.

    python -m bench.idle [--settle 20] [--window 30] [--wake nudge|broker]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

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
        with whole_system(Path(logs), service_env=env):
            time.sleep(args.settle)
            label = "bench"
            before, started = cpu_seconds(label, lambda c: process_kind(c, SERVICES)), time.monotonic()
            time.sleep(args.window)
            after, elapsed = cpu_seconds(label, lambda c: process_kind(c, SERVICES)), time.monotonic() - started
    busy = {kind: (after[kind] - before.get(kind, 0.0)) / elapsed for kind in after if kind != label}
    load = os.getloadavg()
    print(
        f"idle, CONSUMER_WAKE={args.wake}: {sum(busy.values()):.3f} cores busy over {elapsed:.0f} s "
        f"(load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f})"
    )
    for kind, cores in sorted(busy.items(), key=lambda kv: -kv[1]):
        print(f"  {kind:24} {cores:.3f}")


if __name__ == "__main__":
    main()
