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

import datetime as dt
import os
import tempfile
from contextlib import ExitStack
from pathlib import Path

import asyncpg
import httpx

from bench.console_pages import admin_env, console_in_front, console_sign_in, print_machine, print_page, run, timed
from bench.disbursement_data import seed_county
from bench.disbursement_roster import COUNTY, PII_KEY, ROSTERS, sign_in
from bench.support import bench_stack
from libs.contracts.clock import business_date
from libs.kernel.pagination import encode_cursor
from libs.kernel.pii import PiiVault
from services.disbursement.config import DisbursementSettings
from services.disbursement.months import add_months, month_containing, period_of


async def measure(households: int, requests: int) -> None:
    logs = Path(tempfile.mkdtemp(prefix="jiuzhu-bench-console-"))
    month = add_months(month_containing(business_date(dt.datetime.now(dt.UTC))), 1)
    os.environ["JIUZHU_PII_KEY"] = PII_KEY
    with bench_stack("services.disbursement", "gateway") as (stack, env), ExitStack() as processes:
        env = admin_env(env)
        conn = await asyncpg.connect(stack.database_url)
        try:
            vault = PiiVault(DisbursementSettings().pii_key.get_secret_value())
            await seed_county(conn, vault, county=COUNTY, month=month, lines=households, held=households // 300)
        finally:
            await conn.close()
        base = console_in_front(processes, env, logs, "disbursement")
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
        print_machine()
        print(f"county {COUNTY}: {households:,} households, roster of {built.get('line_count', households):,} lines")
        async with httpx.AsyncClient(base_url=base, timeout=60) as browser:
            await console_sign_in(browser)
            for label, (path, shows) in pages.items():
                print_page(label, await timed(browser, path, shows, requests))
        print(f"logs in {logs}")


def main() -> None:
    run("python -m bench.console_lists", measure)


if __name__ == "__main__":
    main()
