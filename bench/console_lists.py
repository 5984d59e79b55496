"""The console's list pages at county scale (issue 19): a page of 50 rows through the gateway, with 100,000 households
in the county.

One county's ledger of 100,000 households is seeded straight into disbursement's tables (bench.disbursement_data,
setup, not measured) and its month's roster built through the API. Then a county officer signs in to the console
through the gateway (as a browser does: the login form, its CSRF token, the session cookie) and the benchmark asks,
one request after another as a person clicking would, for the roster's page (its first 50 lines, the letter and the
totals), the page of lines 50,001–50,050 (by the cursor of the page's 下一页 link), and the list of rosters. Each
request goes browser → gateway → console → gateway → disbursement and back, rendered HTML; measured per page: p50,
p95 and p99 over `--requests` requests after 10 unmeasured ones. The aim is p95 ≤ 300 ms.

    python -m bench.console_lists [--households 100000] [--requests 200]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import re
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

import asyncpg
import httpx

from bench.disbursement_data import seed_county
from bench.disbursement_roster import ADMIN_PASSWORD, COUNTY, OFFICER_PASSWORD, PII_KEY, ROSTERS, sign_in
from bench.support import REPO_ROOT, bench_stack, machine, percentile, process, summary
from libs.contracts.clock import business_date
from libs.devstack.processes import free_port
from libs.kernel.pagination import encode_cursor
from libs.kernel.pii import PiiVault
from services.disbursement.config import DisbursementSettings
from services.disbursement.months import add_months, month_containing, period_of

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
WARM_UP = 10


async def _console_sign_in(browser: httpx.AsyncClient) -> None:
    form = (await browser.get("/console/login")).text
    token = _CSRF.search(form)
    assert token is not None, "the sign-in form has no CSRF token"
    fields = {"username": "bench.county", "password": OFFICER_PASSWORD, "csrf_token": token.group(1)}
    signed_in = await browser.post("/console/login", data=fields)
    if signed_in.status_code != 303:
        raise RuntimeError(f"console sign-in answered {signed_in.status_code}")


async def _timed_pages(browser: httpx.AsyncClient, path: str, shows: str, requests: int) -> list[float]:
    for _ in range(WARM_UP):
        warm = (await browser.get(path)).raise_for_status()
        if shows not in warm.text:  # the page must hold the rows asked for, not a refusal rendered fast
            raise RuntimeError(f"{path} does not show {shows!r}")
    times: list[float] = []
    for _ in range(requests):
        started = time.perf_counter()
        reply = await browser.get(path)
        times.append((time.perf_counter() - started) * 1000)
        if reply.status_code != 200:
            raise RuntimeError(f"{path} answered {reply.status_code}")
    return times


async def measure(households: int, requests: int) -> None:
    logs = Path(tempfile.mkdtemp(prefix="jiuzhu-bench-console-"))
    month = add_months(month_containing(business_date(dt.datetime.now(dt.UTC))), 1)
    os.environ["JIUZHU_PII_KEY"] = PII_KEY
    with bench_stack("services.disbursement", "gateway") as (stack, env), ExitStack() as processes:
        env = {**env, "JIUZHU_ADMIN_PASSWORD": ADMIN_PASSWORD, "GATEWAY_UPSTREAM_TIMEOUT_SECONDS": "300"}
        subprocess.run([sys.executable, "-m", "gateway", "ensure-admin"], env=env, cwd=REPO_ROOT, check=True)
        conn = await asyncpg.connect(stack.database_url)
        try:
            vault = PiiVault(DisbursementSettings().pii_key.get_secret_value())
            await seed_county(conn, vault, county=COUNTY, month=month, lines=households, held=households // 300)
        finally:
            await conn.close()
        api = processes.enter_context(process("services.disbursement", "api", env, logs / "disbursement-api.log"))
        # The console's port is chosen before the gateway starts, which needs it; the console then learns the
        # gateway's port.
        console_port = free_port()
        gateway_env = {**env, "GATEWAY_DISBURSEMENT_URL": f"http://127.0.0.1:{api}",
                       "GATEWAY_CONSOLE_URL": f"http://127.0.0.1:{console_port}"}  # fmt: skip
        gateway = processes.enter_context(process("gateway", "api", gateway_env, logs / "gateway.log", "/healthz"))
        base = f"http://127.0.0.1:{gateway}"
        console_env = {k: v for k, v in env.items() if not k.startswith(("JIUZHU_", "GATEWAY_"))}
        console_env |= {"CONSOLE_GATEWAY_URL": base, "CONSOLE_COOKIE_SECURE": "false"}
        processes.enter_context(process("console", "api", console_env, logs / "console.log", "/healthz", console_port))
        async with httpx.AsyncClient(base_url=base, timeout=300) as http:
            officer, _ = await sign_in(http)
            body = {"region_code": COUNTY, "period": period_of(month)}
            built = (await http.post(ROSTERS, json=body, headers=officer)).raise_for_status().json()
        roster = f"/console/rosters/{built['roster_id']}"
        middle = households // 2
        pages = {  # label → (path, what the page must show)
            "roster, lines 1–50": (roster, "<td>1</td>"),
            f"roster, lines {middle + 1:,}–{middle + 50:,}": (
                f"{roster}?cursor={encode_cursor([middle])}",
                f"<td>{middle + 1}</td>",
            ),
            "rosters of the county": ("/console/rosters", built["roster_id"]),
        }
        load = os.getloadavg()
        print(f"machine: {machine()}; load average at the start {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
        print(f"county {COUNTY}: {households:,} households, roster of {built.get('line_count', households):,} lines")
        async with httpx.AsyncClient(base_url=base, timeout=60) as browser:
            await _console_sign_in(browser)
            for label, (path, shows) in pages.items():
                times = await _timed_pages(browser, path, shows, requests)
                print(f"{label:<32} {summary(times)} p95={percentile(times, 95):.2f} ms")
        print(f"logs in {logs}")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.console_lists")
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    asyncio.run(measure(args.households, args.requests))


if __name__ == "__main__":
    main()
