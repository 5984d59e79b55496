"""What the console benchmarks share: a service's API with the gateway and the console in front of it, a county
officer signed in to the console as a browser signs in, pages timed one request after another, and the command line.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable, Coroutine
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx

from bench.disbursement_roster import ADMIN_PASSWORD, OFFICER_PASSWORD
from bench.support import REPO_ROOT, machine, percentile, process, summary
from libs.devstack.processes import free_port

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
WARM_UP = 10


def admin_env(env: dict[str, str]) -> dict[str, str]:
    """The stack's environment with the administrator the benchmark signs in as, made before anything starts."""
    env = {**env, "JIUZHU_ADMIN_PASSWORD": ADMIN_PASSWORD, "GATEWAY_UPSTREAM_TIMEOUT_SECONDS": "300"}
    subprocess.run([sys.executable, "-m", "gateway", "ensure-admin"], env=env, cwd=REPO_ROOT, check=True)
    return env


def console_in_front(processes: ExitStack, env: dict[str, str], logs: Path, service: str) -> str:
    """`services.<service>`'s API, the gateway routing to it and serving the console, and the console; the gateway's
    address. The console's port is chosen before the gateway starts, which needs it; the console then learns the
    gateway's."""
    api = processes.enter_context(process(f"services.{service}", "api", env, logs / f"{service}-api.log"))
    console_port = free_port()
    gateway_env = {**env, f"GATEWAY_{service.upper()}_URL": f"http://127.0.0.1:{api}",
                   "GATEWAY_CONSOLE_URL": f"http://127.0.0.1:{console_port}"}  # fmt: skip
    gateway = processes.enter_context(process("gateway", "api", gateway_env, logs / "gateway.log", "/healthz"))
    base = f"http://127.0.0.1:{gateway}"
    console_env = {k: v for k, v in env.items() if not k.startswith(("JIUZHU_", "GATEWAY_"))}
    console_env |= {"CONSOLE_GATEWAY_URL": base, "CONSOLE_COOKIE_SECURE": "false"}
    processes.enter_context(process("console", "api", console_env, logs / "console.log", "/healthz", console_port))
    return base


async def console_sign_in(browser: httpx.AsyncClient) -> None:
    """The bench's county officer through the console's sign-in form (its CSRF token, the session cookie)."""
    form = (await browser.get("/console/login")).text
    token = CSRF.search(form)
    assert token is not None, "the sign-in form has no CSRF token"
    fields = {"username": "bench.county", "password": OFFICER_PASSWORD, "csrf_token": token.group(1)}
    signed_in = await browser.post("/console/login", data=fields)
    if signed_in.status_code != 303:
        raise RuntimeError(f"console sign-in answered {signed_in.status_code}")


async def timed(
    browser: httpx.AsyncClient, path: str, shows: str, requests: int, form: dict[str, str] | None = None
) -> list[float]:
    """Milliseconds per request: GET `path`, or POST it `form` as a search form does, after WARM_UP unmeasured ones.
    The page must show `shows` (the rows asked for, not a refusal rendered fast)."""

    async def ask() -> httpx.Response:
        return await (browser.get(path) if form is None else browser.post(path, data=form))

    for _ in range(WARM_UP):
        warm = (await ask()).raise_for_status()
        if shows not in warm.text:
            raise RuntimeError(f"{path} {form or ''} does not show {shows!r}")
    times: list[float] = []
    for _ in range(requests):
        started = time.perf_counter()
        reply = await ask()
        times.append((time.perf_counter() - started) * 1000)
        if reply.status_code != 200:
            raise RuntimeError(f"{path} answered {reply.status_code}")
    return times


def print_machine() -> None:
    load = os.getloadavg()
    print(f"machine: {machine()}; load average at the start {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


def print_page(label: str, times: list[float]) -> None:
    print(f"{label:<32} {summary(times)} p95={percentile(times, 95):.2f} ms")


def run(prog: str, measure: Callable[[int, int], Coroutine[Any, Any, None]]) -> None:
    """The command line every console benchmark takes: `--households N --requests M`."""
    parser = argparse.ArgumentParser(prog=prog)
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    asyncio.run(measure(args.households, args.requests))
