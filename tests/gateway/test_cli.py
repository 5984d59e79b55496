"""`python -m gateway migrate|ensure-admin|serve`, run as the local runner and a deployment run them."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import uuid
from pathlib import Path

import httpx
from argon2 import PasswordHasher
from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from libs.devstack.processes import free_port, spawn, stop, wait_for_port
from libs.devstack.stack import DevStack
from tests.gateway.harness import ADMIN_PASSWORD, REPO_ROOT, SERVICES, ServiceProcess, service_environment


async def _run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    argv = [sys.executable, "-m", "gateway", *args]
    return await asyncio.to_thread(
        subprocess.run, argv, env=env, cwd=REPO_ROOT, capture_output=True, text=True, timeout=120, check=False
    )


async def test_migrate_and_ensure_admin_on_an_empty_database(stack: DevStack, engine: AsyncEngine) -> None:
    name = f"gateway_cli_{uuid.uuid4().hex[:8]}"
    async with engine.connect() as conn:
        await conn.execution_options(isolation_level="AUTOCOMMIT")
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(stack.database_url).set(database=name).render_as_string(hide_password=False)
    password = f"Cli-root-{uuid.uuid4().hex}"
    env = {**service_environment(stack), "DATABASE_URL": url, "JIUZHU_ADMIN_PASSWORD": password}

    for _ in range(2):  # a second migrate is a no-op
        migrated = await _run("migrate", env=env)
        assert migrated.returncode == 0, migrated.stderr + migrated.stdout
    first = await _run("ensure-admin", env=env)
    again = await _run("ensure-admin", env={**env, "JIUZHU_ADMIN_PASSWORD": "Another-Secret-Phrase-2026"})
    missing = await _run("ensure-admin", env={k: v for k, v in env.items() if k != "JIUZHU_ADMIN_PASSWORD"})
    short = await _run("ensure-admin", env={**env, "JIUZHU_ADMIN_PASSWORD": "short"})
    weak = await _run("ensure-admin", env={**env, "JIUZHU_ADMIN_PASSWORD": "aaaaaaaaaaaa"})

    assert first.returncode == 0, first.stderr + first.stdout
    assert '"created": true' in first.stdout
    assert again.returncode == 0
    assert '"created": false' in again.stdout
    assert missing.returncode != 0
    assert "JIUZHU_ADMIN_PASSWORD" in missing.stderr
    assert short.returncode != 0
    assert "12 characters" in short.stderr
    assert weak.returncode != 0
    assert "three of" in weak.stderr
    for run in (first, again, missing, short, weak):
        assert password not in run.stdout + run.stderr
        assert "Another-Secret-Phrase-2026" not in run.stdout + run.stderr
        assert "aaaaaaaaaaaa" not in run.stdout + run.stderr
        assert '"short"' not in run.stdout + run.stderr

    fresh = create_async_engine(url.replace("postgresql://", "postgresql+asyncpg://", 1))
    try:
        async with fresh.connect() as conn:
            row = (await conn.execute(text("SELECT password_hash, roles, region_code FROM gateway.users"))).one()
    finally:
        await fresh.dispose()
    assert row.roles == ["system_admin"]
    assert row.region_code == ""
    assert PasswordHasher().verify(row.password_hash, password)  # the re-run kept the first password


async def test_serve_runs_the_gateway_on_jiuzhu_gateway_port(
    stack: DevStack, intake: ServiceProcess, admin_ready: None, engine: AsyncEngine, tmp_path: Path
) -> None:
    port = free_port()
    env = {
        **service_environment(stack),
        "JIUZHU_GATEWAY_PORT": str(port),
        **{f"GATEWAY_{name.upper()}_URL": intake.url for name in SERVICES},
    }
    log_path = tmp_path / "gateway.log"
    proc = spawn([sys.executable, "-m", "gateway", "serve"], log_path=log_path, env=env, cwd=REPO_ROOT)
    request_id = f"served-{uuid.uuid4().hex}"
    try:
        await asyncio.to_thread(wait_for_port, "127.0.0.1", port, proc=proc, timeout=60, log_path=log_path)
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            token = await client.post(
                "/api/v1/auth/token", data={"grant_type": "password", "username": "admin", "password": ADMIN_PASSWORD}
            )
            assert token.status_code == 200, token.text
            bearer = {"Authorization": f"Bearer {token.json()['access_token']}", "X-Request-ID": request_id}
            whoami = await client.get("/api/v1/intake/diagnostics/whoami", headers=bearer)
            ready = await client.get("/readyz")
    finally:
        await asyncio.to_thread(stop, proc)
    assert whoami.status_code == 200, whoami.text
    assert whoami.headers["x-request-id"] == request_id
    assert whoami.json()["name"] == "admin"
    assert ready.status_code == 200, ready.text
    log = log_path.read_text()
    assert "Application shutdown complete" in log, log  # uvicorn then re-raises SIGTERM: the exit code says -15
    assert "diagnostics/whoami" not in log  # no upstream URL (with its query string) in the log
    # SIGTERM ran the lifespan's end: the audit queue reached the database.
    async with engine.connect() as conn:
        audited = await conn.scalar(
            text("SELECT count(*) FROM gateway.access_audit WHERE request_id = :r"), {"r": request_id}
        )
    assert audited == 1
    assert ADMIN_PASSWORD not in log
