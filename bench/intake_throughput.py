"""Intake throughput: accepted applications per second through the gateway.

Each of `--concurrency` township officers (own user, own token, own township) runs a closed loop: create a dibao
application of three members, submit it, accept it (three requests; the accept writes `application-submitted` to the
outbox), then the next. Every application names three identity numbers not used before in the run, so the
person-conflict rule (409 `person_in_open_application`) cannot fire; any non-2xx reply counts as an error and abandons
that application. The processes are those of production (deploy/k8s): the gateway, intake's API and intake's worker
(the outbox relay, publishing the accepted applications' events to the broker), PostgreSQL with fsync on and the
broker; the load generator (aiohttp) runs in this process, on the same cores. Also reported: the CPU time each kind
of process used per accepted application, and the outbox backlog left when the load stops (and how long the relay
takes to clear it).

    python -m bench.intake_throughput [--seconds 20 | --applications N] [--concurrency 8]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import aiohttp
import orjson
from sqlalchemy import func, select

from bench.support import REPO_ROOT, bench_stack, machine, percentile, process, process_kind
from bench.support import cpu_seconds as support_cpu_seconds
from libs.contracts.id_number import check_character
from libs.kernel.db import Database
from services.intake.definition import DEFINITION as INTAKE
from tests.intake.support import application_body, member

ADMIN_PASSWORD = "Bench-Operator-0001"
APPLICATIONS = "/api/v1/intake/applications"
STEPS = ("create", "submit", "accept")
BORN = (date(1975, 3, 14), date(1978, 6, 2), date(2010, 9, 30))  # head, spouse, child


class IdentityNumbers:
    """Valid identity numbers, each issued once: the n-th has address code 110000 + n // 1000, sequence n % 1000."""

    def __init__(self) -> None:
        self._next = itertools.count()

    def issue(self, born: date) -> str:
        n = next(self._next)
        first17 = f"{110000 + n // 1000:06d}{born:%Y%m%d}{n % 1000:03d}"
        return first17 + check_character(first17)


def new_body(ids: IdentityNumbers, township: str, n: int) -> dict[str, Any]:
    head, spouse, child = (ids.issue(born) for born in BORN)
    members = [
        member(head, "王建国"),
        member(spouse, "李秀英", "spouse"),
        member(child, "王小明", "child", labour_capacity="none", employment="student"),
    ]
    return application_body(f"{township}{n % 900 + 100:03d}", members=members)


@dataclass
class Results:
    latencies_ms: dict[str, list[float]] = field(default_factory=lambda: {s: [] for s in (*STEPS, "application")})
    errors: Counter[str] = field(default_factory=Counter)  # "<step> <status>" → count
    accepted: int = 0
    seconds: float = 0.0

    @property
    def requests(self) -> int:
        return sum(len(self.latencies_ms[s]) for s in STEPS)

    def line(self, step: str) -> str:
        values = self.latencies_ms[step]
        return (
            f"{step:<11} p50 {percentile(values, 50):7.2f} ms  p99 {percentile(values, 99):7.2f} ms  (n={len(values)})"
        )


@dataclass
class Officer:
    township: str
    headers: dict[str, str]


class Load:
    """The officers' closed loops sharing one connection pool, until the deadline or the application budget."""

    def __init__(self, base: str, officers: list[Officer], ids: IdentityNumbers) -> None:
        self.base = base
        self.officers = officers
        self.ids = ids
        self._numbers = itertools.count()

    async def run(self, seconds: float, applications: int | None) -> Results:
        results = Results()
        deadline = time.perf_counter() + seconds
        budget = itertools.count() if applications is None else iter(range(applications))
        connector = aiohttp.TCPConnector(limit=len(self.officers))
        async with aiohttp.ClientSession(self.base, connector=connector) as http:

            async def officer_loop(officer: Officer) -> None:
                while time.perf_counter() < deadline and next(budget, None) is not None:
                    await self._one(http, officer, results)

            started = time.perf_counter()
            await asyncio.gather(*(officer_loop(o) for o in self.officers))
            results.seconds = time.perf_counter() - started
        return results

    async def _one(self, http: aiohttp.ClientSession, officer: Officer, results: Results) -> None:
        started = time.perf_counter()
        body = new_body(self.ids, officer.township, next(self._numbers))
        created = await _post(http, results, "create", APPLICATIONS, officer.headers, body)
        if created is None:
            return
        path = f"{APPLICATIONS}/{created['application_id']}"
        if await _post(http, results, "submit", f"{path}/submit", officer.headers) is None:
            return
        if await _post(http, results, "accept", f"{path}/accept", officer.headers) is None:
            return
        results.latencies_ms["application"].append((time.perf_counter() - started) * 1000)
        results.accepted += 1


async def _post(
    http: aiohttp.ClientSession,
    results: Results,
    step: str,
    path: str,
    headers: dict[str, str],
    body: dict[str, Any] | None = None,
) -> dict[str, Any] | None:
    """POST and time it; the JSON reply, or None (counted as an error) for a non-2xx."""
    started = time.perf_counter()
    async with http.post(path, json=body, headers=headers) as reply:
        payload = await reply.read()
        status = reply.status
    results.latencies_ms[step].append((time.perf_counter() - started) * 1000)
    if not 200 <= status < 300:
        results.errors[f"{step} {status}"] += 1
        return None
    parsed: dict[str, Any] = orjson.loads(payload)
    return parsed


async def _token(http: aiohttp.ClientSession, username: str, password: str) -> dict[str, str]:
    form = {"grant_type": "password", "username": username, "password": password}
    async with http.post("/api/v1/auth/token", data=form) as reply:
        assert reply.status == 200, await reply.text()
        return {"Authorization": f"Bearer {(await reply.json())['access_token']}"}


async def new_officers(base: str, count: int) -> list[Officer]:
    """`count` township officers, each with a township of its own in county 140402, signed in."""
    officers = []
    async with aiohttp.ClientSession(base) as http:
        admin = await _token(http, "admin", ADMIN_PASSWORD)
        for i in range(count):
            township, username, password = f"140402{i + 1:03d}", f"bench.officer.{i + 1}", f"bench-pw-{i + 1:04d}"
            user = {"username": username, "password": password, "display_name": f"经办人 {i + 1}",
                    "roles": ["township_officer"], "region_code": township}  # fmt: skip
            async with http.post("/api/v1/admin/users", json=user, headers=admin) as reply:
                assert reply.status == 201, await reply.text()
            officers.append(Officer(township, await _token(http, username, password)))
    return officers


def cpu_seconds() -> Counter[str]:
    return support_cpu_seconds("load generator", lambda cmdline: process_kind(cmdline, ("intake",)))


async def _unsent(db: Database) -> int:
    t = INTAKE.tables.outbox
    async with db.sessions() as session:
        return int(await session.scalar(select(func.count()).where(t.c.sent_at.is_(None))) or 0)


async def drain(db: Database, timeout: float = 120) -> tuple[int, float]:
    """(events unsent when the load stopped, seconds until the relay had published them all)."""
    started = time.perf_counter()
    backlog = left = await _unsent(db)
    while left and time.perf_counter() - started < timeout:
        await asyncio.sleep(0.1)
        left = await _unsent(db)
    assert left == 0, f"{left} events still unsent after {timeout} s"
    return backlog, time.perf_counter() - started


@dataclass
class Run:
    results: Results
    backlog: int  # events unsent when the load stopped
    drained_in: float  # seconds the relay then took to publish them
    cpu: Counter[str]  # CPU seconds used during the load, per kind of process


async def run(seconds: float, applications: int | None, concurrency: int) -> Run:
    logs = Path(tempfile.mkdtemp(prefix="jiuzhu-bench-"))
    with bench_stack("services.intake", "gateway") as (_, env):
        env = {**env, "JIUZHU_ADMIN_PASSWORD": ADMIN_PASSWORD}
        subprocess.run([sys.executable, "-m", "gateway", "ensure-admin"], env=env, cwd=REPO_ROOT, check=True)
        db = Database(INTAKE.settings(), INTAKE.name)
        try:
            with (
                process("services.intake", "api", env, logs / "intake-api.log") as intake_port,
                process("services.intake", "worker", env, logs / "intake-worker.log"),
            ):
                gateway_env = {**env, "GATEWAY_INTAKE_URL": f"http://127.0.0.1:{intake_port}"}
                # /healthz: the gateway's /readyz wants all five services, and only intake runs here.
                with process("gateway", "api", gateway_env, logs / "gateway.log", "/healthz") as gateway_port:
                    base = f"http://127.0.0.1:{gateway_port}"
                    load = Load(base, await new_officers(base, concurrency), IdentityNumbers())
                    await load.run(seconds=3, applications=None)  # warm-up: connections, caches, the relay's producer
                    await drain(db)
                    cpu_before = cpu_seconds()
                    results = await load.run(seconds, applications)
                    cpu = cpu_seconds()
                    cpu.subtract(cpu_before)
                    return Run(results, *await drain(db), cpu)
        finally:
            await db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=None, help="how long the load runs (default 20)")
    parser.add_argument("--applications", type=int, default=None, help="stop after starting this many applications")
    parser.add_argument("--concurrency", type=int, default=8, help="officers working at once")
    args = parser.parse_args()
    os.environ.setdefault("JIUZHU_LOG_LEVEL", "WARNING")
    seconds = args.seconds if args.seconds is not None else float("inf") if args.applications else 20.0
    measured = asyncio.run(run(seconds, args.applications, args.concurrency))
    results = measured.results
    print(f"machine: {machine()}")
    print(
        f"{args.concurrency} officers, closed loop for {results.seconds:.1f} s; per application: create (3 members), "
        "submit, accept, all through the gateway"
    )
    print(
        f"accepted applications: {results.accepted} = {results.accepted / results.seconds:.1f} applications/s "
        f"({results.requests} requests = {results.requests / results.seconds:.1f} req/s)"
    )
    errors = ", ".join(f"{k}: {v}" for k, v in sorted(results.errors.items())) or "none"
    print(f"errors (non-2xx): {sum(results.errors.values())} ({errors})")
    for step in (*STEPS, "application"):
        print(results.line(step))
    per_application = ", ".join(
        f"{kind} {used * 1000 / max(results.accepted, 1):.1f}" for kind, used in measured.cpu.most_common()
    )
    print(f"CPU ms per accepted application: {per_application}")
    print(
        f"outbox: {measured.backlog} events unsent when the load stopped, all published {measured.drained_in:.2f} s "
        "later"
    )


if __name__ == "__main__":
    main()
