"""What the benchmarks share: a throw-away stack with migrated schemas, service processes, percentiles."""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path

import psutil

from libs.devstack.processes import free_port, spawn, stop, wait_for_http
from libs.devstack.stack import DevStack, running

REPO_ROOT = Path(__file__).resolve().parents[1]


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{os.cpu_count()} cores, {cpu}, Python {platform.python_version()}, {platform.system()} {platform.release()}"
    )


def percentile(values: Sequence[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def summary(values_ms: Sequence[float]) -> str:
    return (
        f"n={len(values_ms)} p50={percentile(values_ms, 50):.2f} ms p90={percentile(values_ms, 90):.2f} ms "
        f"p99={percentile(values_ms, 99):.2f} ms mean={statistics.fmean(values_ms):.2f} ms"
    )


@contextmanager
def bench_stack(*modules: str) -> Iterator[tuple[DevStack, dict[str, str]]]:
    """A durable throw-away stack (fsync on, like production), with the given modules' schemas migrated."""
    with running(durable=True) as stack:
        env = {
            **os.environ,
            **stack.environment(),
            "JIUZHU_ENVIRONMENT": "test",
            "PYTHONPATH": str(REPO_ROOT),
            "JIUZHU_LOG_LEVEL": "WARNING",
        }
        for module in modules:
            subprocess.run(
                [sys.executable, "-m", module, "migrate"], env=env, cwd=REPO_ROOT, check=True, stdout=subprocess.DEVNULL
            )
        os.environ.update(stack.environment())
        yield stack, env


@contextmanager
def process(
    module: str, role: str, env: dict[str, str], log: Path, ready_path: str = "/readyz", port: int | None = None
) -> Iterator[int]:
    """A process of `module` in `role`, yielded (as its port) once `ready_path` answers 200; `port` where another
    process must know it before this one starts."""
    port = port or free_port()
    argv = [sys.executable, "-m", module, "serve", "--role", role, "--port", str(port)]
    proc = spawn(argv, log_path=log, env=env, cwd=REPO_ROOT)
    try:
        wait_for_http(f"http://127.0.0.1:{port}{ready_path}", watch={module: (proc, log)})
        yield port
    finally:
        stop(proc)


def process_kind(cmdline: str, services: Sequence[str]) -> str:
    """What a child process of a benchmark is, from its command line: the gateway, a service's API or worker,
    PostgreSQL (the server and its backends), the broker, or other."""
    if "-m gateway" in cmdline:
        return "gateway"
    for name in services:
        if f"services.{name}" in cmdline:
            return f"{name} {'api' if '--role api' in cmdline else 'worker'}"
    if "postgres" in cmdline:
        return "postgres"
    return "broker" if "tansu" in cmdline else "other"


def cpu_seconds(me_label: str, kind: Callable[[str], str]) -> Counter[str]:
    """CPU time (user + system) used so far by this process (`me_label`) and by each kind of child, each with its own
    children that have exited."""
    me = psutil.Process()
    totals: Counter[str] = Counter()
    for proc in [me, *me.children(recursive=True)]:
        with suppress(psutil.Error):  # a process that just exited
            times = proc.cpu_times()
            label = me_label if proc.pid == me.pid else kind(" ".join(proc.cmdline()))
            # Children that have exited count with their parent: PostgreSQL's backends of closed connections live on
            # only in the postmaster's `children_*` times (without them a pool that reconnects looks cheap).
            totals[label] += times.user + times.system + times.children_user + times.children_system
    return totals
