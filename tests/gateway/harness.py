"""What the gateway tests share: a real intake process, an in-process gateway, and callers with their own address."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import socket
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI
from starlette.types import ASGIApp

from gateway.config import GatewaySettings
from gateway.main import create_app
from libs.devstack.processes import free_port, spawn, stop, wait_for_http
from libs.devstack.stack import DevStack
from libs.kernel.service import create_service_app
from tests.support.accounts import ADMIN_PASSWORD, unique_name
from tests.support.service_process import INTERNAL_SECRET, REPO_ROOT, service_environment

# Shared with the end-to-end tests; re-exported so the gateway's tests import one module.
__all__ = ["ADMIN_PASSWORD", "INTERNAL_SECRET", "REPO_ROOT", "service_environment", "unique_name"]

SERVICES = ("intake", "casework", "matching", "complaints", "disbursement")

_addresses = itertools.count(1)


def unique_ip() -> str:
    """A source address no other test uses, so login-failure counts never leak between tests."""
    n = next(_addresses)
    return f"10.9.{n // 250}.{n % 250 + 1}"


_regions = itertools.count(1)


def unique_region(digits: int = 6) -> str:
    """A region prefix no other test uses (province "99" does not exist; each test session has a fresh database)."""
    return f"99{next(_regions):0{digits - 2}d}"


@dataclass
class ServiceProcess:
    """`python -m services.<name> serve --role api`, as production starts it, logging JSON lines to a file."""

    name: str
    port: int
    log_path: Path
    proc: subprocess.Popen[bytes]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log_records(self) -> list[dict[str, Any]]:
        records = []
        for line in self.log_path.read_text(errors="replace").splitlines():
            with contextlib.suppress(ValueError):
                value = json.loads(line)
                if isinstance(value, dict):
                    records.append(value)
        return records


def start_service(name: str, stack: DevStack, log_dir: Path) -> ServiceProcess:
    port = free_port()
    log_path = log_dir / f"{name}.log"
    argv = [sys.executable, "-m", f"services.{name}", "serve", "--role", "api", "--port", str(port)]
    proc = spawn(argv, log_path=log_path, env=service_environment(stack), cwd=REPO_ROOT)
    service = ServiceProcess(name, port, log_path, proc)
    try:
        wait_for_http(f"{service.url}/readyz", watch={name: (proc, log_path)}, timeout=60)
    except BaseException:
        stop(proc)
        raise
    return service


def gateway_settings(stack: DevStack, upstream: str, **overrides: Any) -> GatewaySettings:
    """Settings with every service routed to `upstream` (only intake runs in these tests) unless overridden."""
    values: dict[str, Any] = {
        "database_url": stack.database_url,
        "environment": "test",
        "internal_token_secret": INTERNAL_SECRET,
        **{f"{name}_url": upstream for name in SERVICES},
        # The stubs count what reaches them: nothing but the test's own requests (tests of deliveries turn it on).
        "background_delivery": False,
        **overrides,
    }
    return GatewaySettings(**values)


@dataclass
class RunningGateway:
    app: FastAPI
    settings: GatewaySettings

    def client(self, ip: str | None = None, token: str | None = None) -> httpx.AsyncClient:
        """A caller at its own source address (the ASGI `client`), optionally already holding a token."""
        transport = httpx.ASGITransport(self.app, client=(ip or unique_ip(), 40123))
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.AsyncClient(transport=transport, base_url="http://gateway.test", headers=headers)

    async def password_token(self, username: str, password: str) -> str:
        async with self.client() as client:
            reply = await client.post(
                "/api/v1/auth/token", data={"grant_type": "password", "username": username, "password": password}
            )
        assert reply.status_code == 200, reply.text
        return str(reply.json()["access_token"])

    async def client_token(self, client_id: str, secret: str) -> str:
        async with self.client() as client:
            reply = await client.post(
                "/api/v1/auth/token",
                data={"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret},
            )
        assert reply.status_code == 200, reply.text
        return str(reply.json()["access_token"])


@contextlib.asynccontextmanager
async def running_gateway(settings: GatewaySettings) -> AsyncIterator[RunningGateway]:
    """The gateway in this process with its lifespan running (database, upstream client, audit writer)."""
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        yield RunningGateway(app, settings)


@dataclass
class Staff:
    username: str
    password: str
    token: str


@dataclass
class Partner:
    client_id: str
    secret: str
    token: str


async def new_staff(gw: RunningGateway, admin_token: str, roles: list[str], region: str) -> Staff:
    username, password = unique_name("staff"), f"pw-{uuid.uuid4().hex}"
    body = {"username": username, "password": password, "display_name": "测试 用户", "roles": roles,
            "region_code": region}  # fmt: skip
    async with gw.client(token=admin_token) as client:
        reply = await client.post("/api/v1/admin/users", json=body)
    assert reply.status_code == 201, reply.text
    return Staff(username, password, await gw.password_token(username, password))


async def new_partner(gw: RunningGateway, admin_token: str, scopes: list[str], region: str) -> Partner:
    async with gw.client(token=admin_token) as client:
        reply = await client.post(
            "/api/v1/admin/clients", json={"name": unique_name("partner"), "scopes": scopes, "region_code": region}
        )
    assert reply.status_code == 201, reply.text
    client_id, secret = reply.json()["client_id"], reply.json()["client_secret"]
    return Partner(client_id, secret, await gw.client_token(client_id, secret))


def assert_problem(reply: httpx.Response, status: int, code: str) -> dict[str, Any]:
    """The reply is an RFC 9457 problem with this status and code, correlated with the request id."""
    assert reply.status_code == status, reply.text
    assert reply.headers["content-type"].startswith("application/problem+json"), reply.headers
    body: dict[str, Any] = reply.json()
    assert body["status"] == status
    assert body["code"] == code, body
    assert body["correlation_id"], body
    assert body["correlation_id"] == reply.headers["x-request-id"]
    return body


@contextlib.asynccontextmanager
async def serve_on(sock: socket.socket, app: ASGIApp) -> AsyncIterator[str]:
    """`app` served by uvicorn on `sock` (bound; made listening here), in this process; yields its base URL. A socket
    bound before but listening only now stands for a service that is down until then: connections are refused."""
    sock.listen(64)
    # The socket listens before the server runs: the first request waits in the backlog until start-up is done.
    server = uvicorn.Server(uvicorn.Config(app, lifespan="on", log_config=None, access_log=False))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        await task
        sock.close()


def bound_socket() -> socket.socket:
    """A loopback TCP socket with a port of its own, not yet listening."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


def complaints_app(**overrides: Any) -> FastAPI:
    """A real complaints API on the session's database, taking the gateway tests' internal tokens."""
    from services.complaints.definition import DEFINITION as COMPLAINTS

    settings = COMPLAINTS.settings().with_overrides(role="api", internal_token_secret=INTERNAL_SECRET, **overrides)
    return create_service_app(COMPLAINTS, settings)
