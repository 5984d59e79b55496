"""`make bench`: every benchmark in turn, each printing its own figures (record them in bench/RESULTS.md)."""

from __future__ import annotations

import subprocess
import sys

BENCHMARKS = [
    "bench.event_latency",
    "bench.gateway_throughput",
    "bench.intake_throughput",
    "bench.matching_feed",
    "bench.disbursement_roster",
    "bench.complaints_hotline",
    "bench.system_throughput",
    "bench.console_lists",
    "bench.statistics_figures",
    "bench.casework_statistics",
    "bench.disbursement_statistics",
]


def main() -> None:
    failed = 0
    for module in BENCHMARKS:
        print(f"\n== {module}", flush=True)
        failed += subprocess.run([sys.executable, "-m", module], check=False).returncode != 0
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
