"""The whole system for a benchmark: every service as an API process and a worker process, the gateway in front, a
durable throw-away PostgreSQL and the broker behind, all started here (the bench-side equivalent of
tests/e2e/system.py, which benchmarks do not import).

The eleven processes are spawned at once and then waited for, so start-up costs the slowest process's start rather
than the sum of them. Each logs to its own file under `logs`. PostgreSQL runs with `track_commit_timestamp = on`, so
`pg_xact_commit_timestamp(xmin)` tells when the transaction that wrote a row committed (the moment an inbox row's
event was handled); the setting needs a server restart, done once before anything else connects.

The producer's commit cannot be read from its outbox row (the relay rewrites the row when it marks it sent, which
gives the row a new `xmin`), so a trigger of the benchmark's own notes each outbox row's transaction id in
`bench.outbox_xact` as the row is inserted: one more small insert in the producer's transaction, nothing else.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg

from bench.support import REPO_ROOT, bench_stack
from libs.devstack.postgres import EmbeddedPostgres
from libs.devstack.processes import free_port, lost_its_port, spawn, stop, wait_for_http
from libs.devstack.stack import DevStack

SERVICES = ("intake", "casework", "matching", "complaints", "disbursement")
ADMIN_PASSWORD = "Bench-Operator-0001"
START_TIMEOUT = 180.0  # eleven Python processes importing at once on two shared cores


@dataclass
class RunningSystem:
    stack: DevStack
    env: dict[str, str]
    logs: Path
    gateway_url: str = ""
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)  # "intake api", "gateway", …
    ports: dict[str, int] = field(default_factory=dict)


@dataclass
class Launch:
    """One process to start; started again on a new port if another process took its port first (a port from
    `free_port` is only free when it is chosen: any outgoing connection on the machine may take it before the bind)."""

    name: str
    module: str
    role: str
    env: Mapping[str, str]
    log: Path
    port: int = 0
    proc: subprocess.Popen[bytes] | None = None

    def spawn(self, system: RunningSystem, running: ExitStack) -> None:
        self.port = free_port()
        self.proc = _serve(self.module, self.role, self.port, self.env, self.log)
        system.processes[self.name], system.ports[self.name] = self.proc, self.port
        running.callback(stop, self.proc)  # stopped in reverse order: the gateway first, then workers and APIs

    def wait_ready(self, system: RunningSystem, running: ExitStack, attempts: int = 3) -> None:
        for attempt in range(attempts):
            assert self.proc is not None
            try:
                wait_for_http(
                    f"http://127.0.0.1:{self.port}/readyz",
                    watch={self.name: (self.proc, self.log)},
                    timeout=START_TIMEOUT,
                )
                return
            except RuntimeError:
                if attempt + 1 == attempts or not lost_its_port(self.log):
                    raise
                self.spawn(system, running)


def _serve(module: str, role: str, port: int, env: Mapping[str, str], log: Path) -> subprocess.Popen[bytes]:
    argv = [sys.executable, "-m", module, "serve", "--role", role, "--port", str(port)]
    return spawn(argv, log_path=log, env=env, cwd=REPO_ROOT)


async def _track_commit_timestamps(url: str) -> None:
    conn = await asyncpg.connect(url)
    try:
        await conn.execute("ALTER SYSTEM SET track_commit_timestamp = on")
    finally:
        await conn.close()


OUTBOX_XACT = """
CREATE SCHEMA IF NOT EXISTS bench;
CREATE TABLE IF NOT EXISTS bench.outbox_xact (event_id uuid PRIMARY KEY, xact xid NOT NULL);
CREATE OR REPLACE FUNCTION bench.remember_outbox_xact() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO bench.outbox_xact (event_id, xact) VALUES (NEW.event_id, xid(pg_current_xact_id()));
    RETURN NEW;
END $$;
"""


async def _remember_outbox_transactions(url: str) -> None:
    conn = await asyncpg.connect(url)
    try:
        await conn.execute(OUTBOX_XACT)
        for name in SERVICES:
            await conn.execute(
                f"CREATE TRIGGER bench_outbox_xact AFTER INSERT ON {name}.outbox "
                "FOR EACH ROW EXECUTE FUNCTION bench.remember_outbox_xact()"
            )
    finally:
        await conn.close()


@contextmanager
def commit_timestamped_postgres() -> Iterator[str]:
    """A durable throw-away PostgreSQL (as `bench_stack` starts one) that keeps commit timestamps; yields its URL."""
    root = Path(tempfile.mkdtemp(prefix="jiuzhu-bench-pg-"))
    postgres = EmbeddedPostgres(root / "postgres", secrets.token_urlsafe(24), durable=True)
    try:
        postgres.start()
        asyncio.run(_track_commit_timestamps(postgres.url))
        postgres.stop()
        postgres.start()  # on a new port: only the URL yielded is valid
        yield postgres.url
    finally:
        postgres.stop()
        shutil.rmtree(root, ignore_errors=True)


@contextmanager
def whole_system(logs: Path, service_env: Mapping[str, str] | None = None) -> Iterator[RunningSystem]:
    """Every schema migrated, the admin user created, all processes ready (the gateway's /readyz reaches every
    service's API). `service_env` adds variables to the services' environment (e.g. a shorter job interval)."""
    modules = [f"services.{name}" for name in SERVICES]
    with commit_timestamped_postgres() as database_url, ExitStack() as running:
        # The devstack uses the server DATABASE_URL names instead of starting its own.
        os.environ["DATABASE_URL"] = database_url
        stack, env = running.enter_context(bench_stack(*modules, "gateway"))
        asyncio.run(_remember_outbox_transactions(database_url))
        env = {**env, **(service_env or {})}
        admin_env = {**env, "JIUZHU_ADMIN_PASSWORD": ADMIN_PASSWORD}
        subprocess.run([sys.executable, "-m", "gateway", "ensure-admin"], env=admin_env, cwd=REPO_ROOT, check=True)
        system = RunningSystem(stack, env, logs)

        def start(name: str, module: str, role: str, env: Mapping[str, str], log: Path) -> Launch:
            launch = Launch(name, module, role, env, log)
            launch.spawn(system, running)
            return launch

        launches = [
            start(f"{name} {role}", f"services.{name}", role, env, logs / f"{name}-{role}.log")
            for name in SERVICES
            for role in ("api", "worker")
        ]
        for launch in launches:
            launch.wait_ready(system, running)
        upstreams = {f"GATEWAY_{n.upper()}_URL": f"http://127.0.0.1:{system.ports[f'{n} api']}" for n in SERVICES}
        gateway = start("gateway", "gateway", "api", {**env, **upstreams}, logs / "gateway.log")
        gateway.wait_ready(system, running)
        system.gateway_url = f"http://127.0.0.1:{gateway.port}"
        yield system
