"""The whole system as production runs it, for the end-to-end scenarios: every service as two processes (`serve --role
api` and `serve --role worker`), the gateway in front, the session's PostgreSQL and broker behind.

Workers are separate from the APIs so a scenario can kill one mid-way (SIGKILL, as an OOM kill would) and start it
again, and the broker can lose its memory and be refilled from the outboxes with each service's `replay` command.
Every process logs JSON lines to a file under `logs`, read afterwards by the privacy scan.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import subprocess
import sys
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx

from gateway.cli import migrate as migrate_gateway
from gateway.config import GatewaySettings
from libs.devstack.processes import free_port, lost_its_port, tail, wait_for_http
from libs.devstack.stack import DevStack
from tests.support.accounts import ADMIN_PASSWORD, unique_name
from tests.support.service_process import REPO_ROOT, ServiceProcess

SERVICES = ("intake", "casework", "matching", "complaints", "disbursement")
START_TIMEOUT = 120.0

# Scenario regions: province 14 (Shanxi, the seeds' province), cities 90–99 of it, which do not exist, so no other
# test's data and no demo county share a jurisdiction with a scenario. Each call gives a new county.
_counties = itertools.count(1)


def new_county() -> str:
    n = next(_counties)
    return f"14{90 + n // 100:02d}{n % 100:02d}"


def _until_healthy(process: ServiceProcess, attempts: int = 3) -> None:
    """Wait for the process's /healthz; one that lost its port to another process starts again on a new one."""
    for attempt in range(attempts):
        assert process.proc is not None
        try:
            watch = {process.log_path.stem: (process.proc, process.log_path)}
            wait_for_http(f"{process.url}/healthz", watch=watch, timeout=START_TIMEOUT)
            return
        except RuntimeError:
            if attempt + 1 == attempts or not lost_its_port(process.log_path):
                raise
            process.port = free_port()
            process.start()


@dataclass
class Actor:
    """A signed-in staff user or partner client: an httpx client on the gateway carrying its bearer token."""

    http: httpx.AsyncClient
    region_code: str
    username: str | None = None  # staff
    password: str | None = None  # staff: for signing in to the console as this person
    client_id: str | None = None  # partners
    client_secret: str | None = None

    async def aclose(self) -> None:
        await self.http.aclose()


@dataclass
class WholeSystem:
    stack: DevStack
    logs: Path
    env: dict[str, str]
    apis: dict[str, ServiceProcess] = field(default_factory=dict)
    workers: dict[str, ServiceProcess] = field(default_factory=dict)
    gateway: ServiceProcess | None = None
    console: ServiceProcess | None = None
    actors: list[Actor] = field(default_factory=list)
    # Personal data the scenarios sent in (identity numbers, phones, bank accounts): none may appear in any log line.
    personal_data: set[str] = field(default_factory=set)

    @property
    def base_url(self) -> str:
        assert self.gateway is not None
        return self.gateway.url

    def topic(self, event_type: str) -> str:
        return f"{self.stack.topic_prefix}{event_type}"

    # --- processes

    def start(self) -> None:
        """Blocking: call it with `asyncio.to_thread` from a test's event loop."""
        migrate_gateway(GatewaySettings(database_url=self.stack.database_url, environment="test"))
        admin_env = {**self.env, "JIUZHU_ADMIN_PASSWORD": ADMIN_PASSWORD}
        subprocess.run([sys.executable, "-m", "gateway", "ensure-admin"], env=admin_env, cwd=REPO_ROOT, check=True)
        for name in SERVICES:
            self.apis[name] = ServiceProcess(f"services.{name}", "api", self.env, self.logs / f"{name}-api.log")
            self.workers[name] = ServiceProcess(f"services.{name}", "worker", self.env, self.logs / f"{name}.log")
        services = [*self.apis.values(), *self.workers.values()]
        for process in services:  # all at once: their start-up (imports, pools) overlaps
            process.start()
        for process in services:
            _until_healthy(process)
        # Only now are the APIs' ports final.
        upstreams = {f"GATEWAY_{name.upper()}_URL": api.url for name, api in self.apis.items()}
        self.console = ServiceProcess("console", "api", self.env, self.logs / "console.log")
        upstreams["GATEWAY_CONSOLE_URL"] = self.console.url
        self.gateway = ServiceProcess("gateway", "api", {**self.env, **upstreams}, self.logs / "gateway.log")
        self.gateway.start()
        _until_healthy(self.gateway)
        # The console calls the public API through the gateway, as a browser's person.
        self.console.env = {**self.env, "CONSOLE_GATEWAY_URL": self.gateway.url, "CONSOLE_COOKIE_SECURE": "false"}
        self.console.start()
        _until_healthy(self.console, attempts=1)
        self.wait_ready()

    def _watch(self) -> dict[str, tuple[subprocess.Popen[bytes], Path]]:
        processes = {f"{n}-api": p for n, p in self.apis.items()} | {f"{n}-worker": p for n, p in self.workers.items()}
        assert self.gateway is not None
        processes["gateway"] = self.gateway
        if self.console is not None:
            processes["console"] = self.console
        return {name: (p.proc, p.log_path) for name, p in processes.items() if p.proc is not None}

    def dead_processes(self) -> dict[str, str]:
        """Each process of the system that has exited, with the end of its log."""
        return {
            name: f"exited with {proc.returncode}:\n{tail(log_path, 15)}"
            for name, (proc, log_path) in self._watch().items()
            if proc.poll() is not None
        }

    def wait_ready(self) -> None:
        """The gateway's /readyz: every service's API answers and reaches its database."""
        wait_for_http(f"{self.base_url}/readyz", watch=self._watch(), timeout=START_TIMEOUT)

    def stop(self) -> None:
        for process in [self.console, self.gateway, *self.workers.values(), *self.apis.values()]:
            if process is not None:
                process.stop()

    def kill_worker(self, service: str) -> None:
        """SIGKILL the service's worker: no shutdown hooks, no final commit, offsets and outbox rows as they were."""
        self.workers[service].kill()

    async def start_worker(self, service: str) -> None:
        """Start the worker again and wait until it answers: on its old port, or on a new one if that was taken."""
        worker = self.workers[service]
        worker.start()
        await asyncio.to_thread(_until_healthy, worker)

    def restart_broker(self) -> None:
        """Blocking (call it with `asyncio.to_thread`): the broker loses everything it held (the development broker
        keeps no data), then comes back with the topics; the workers are stopped around it, as an operator would."""
        for worker in self.workers.values():
            worker.stop()
        self.stack.restart_broker()
        for worker in self.workers.values():
            worker.start()
        for worker in self.workers.values():
            _until_healthy(worker)

    def replay(self, service: str, since: datetime) -> int:
        """`python -m services.<name> replay --since …`: the outbox events created since then are published again."""
        result = subprocess.run(
            [sys.executable, "-m", f"services.{service}", "replay", "--since", since.isoformat()],
            env=self.env,
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        return int(json.loads(result.stdout.splitlines()[-1])["events"])

    def log_files(self) -> list[Path]:
        return sorted(self.logs.glob("*.log"))

    # --- people and partners

    def client(self, token: str | None = None) -> httpx.AsyncClient:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.AsyncClient(base_url=self.base_url, headers=headers, timeout=60)

    async def _token(self, form: dict[str, str]) -> str:
        async with self.client() as http:
            reply = await http.post("/api/v1/auth/token", data=form)
        assert reply.status_code == 200, reply.text
        return str(reply.json()["access_token"])

    async def admin(self) -> Actor:
        token = await self._token({"grant_type": "password", "username": "admin", "password": ADMIN_PASSWORD})
        actor = Actor(self.client(token), "", username="admin")
        self.actors.append(actor)
        return actor

    async def staff(self, role: str, region_code: str, display_name: str = "经办人") -> Actor:
        """A new staff user with one role (e.g. `township_officer`) in `region_code`, signed in."""
        admin = await self.admin()
        username, password = unique_name(role.replace("_", "-")), f"pw-{uuid.uuid4().hex}"
        body = {"username": username, "password": password, "display_name": display_name,
                "roles": [role], "region_code": region_code}  # fmt: skip
        created = await admin.http.post("/api/v1/admin/users", json=body)
        assert created.status_code == 201, created.text
        token = await self._token({"grant_type": "password", "username": username, "password": password})
        actor = Actor(self.client(token), region_code, username=username, password=password)
        self.actors.append(actor)
        return actor

    async def partner(self, scope: str, region_code: str, **extra: Any) -> Actor:
        """A new partner client holding `scope` (`hotline`, `finance`, `province`, `registry_feed`) for a region,
        signed in with the client-credentials grant; `extra` goes into the creation body (a hotline's callback_url)."""
        admin = await self.admin()
        body = {"name": unique_name(scope), "scopes": [scope], "region_code": region_code, **extra}
        created = await admin.http.post("/api/v1/admin/clients", json=body)
        assert created.status_code == 201, created.text
        client_id, secret = str(created.json()["client_id"]), str(created.json()["client_secret"])
        token = await self._token({"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret})
        actor = Actor(self.client(token), region_code, client_id=client_id, client_secret=secret)
        self.actors.append(actor)
        return actor

    def remember_personal_data(self, values: Iterable[str]) -> None:
        self.personal_data.update(v for v in values if v)

    async def close_actors(self) -> None:
        await asyncio.gather(*(actor.aclose() for actor in self.actors))
        self.actors.clear()
