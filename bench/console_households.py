"""户籍查询 at county scale (issue 19): a page of 50 households through the gateway, with 100,000 households in the
county's registry.

One county's registry of 100,000 households (1–4 current members each, one entitlement, a bank account) is COPied
straight into casework's tables as the registry leaves them (setup, not measured): identity numbers keyed-hashed and
sealed, members' details sealed, with the deployment's PII key, so the list opens them as it opens real ones. The
households' kept versions are not written: the list does not read them. Then a county officer signs in to the console
through the gateway (as a browser does) and the benchmark asks, one request after another as a person clicking
would, for the list's first page, a page in the middle (by the cursor of the page's 下一页), a search by a member's full
name and one by a member's identity number (each sent as the search form sends it, a POST with the CSRF token). Each
request goes browser → gateway → console → gateway → casework and back, rendered HTML, and each page is checked to
show the household asked for; measured per page: p50, p95 and p99 over `--requests` requests after 10 unmeasured
ones. The aim is p95 ≤ 300 ms.

    python -m bench.console_households [--households 100000] [--requests 200]
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import tempfile
import time
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import httpx
import numpy as np

from bench.console_pages import (
    CSRF,
    admin_env,
    console_in_front,
    console_sign_in,
    print_machine,
    print_page,
    run,
    timed,
)
from bench.disbursement_data import _names, _uuids
from bench.disbursement_roster import COUNTY, PII_KEY, sign_in
from bench.matching_data import id_numbers
from bench.support import bench_stack
from libs.contracts.events.intake import BANK_ACCOUNT_SEAL_CONTEXT, mask_account
from libs.kernel.pagination import encode_cursor
from libs.kernel.pii import PiiVault
from services.casework.config import CaseworkSettings
from services.casework.context import DETAILS_CONTEXT, ID_NUMBER_CONTEXT

SCHEMA = "casework"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
_RELATIONS = ("head", "spouse", "child", "child")
_PROGRAMS = np.array(["dibao", "tekun_dispersed"])
_BANKS = np.array(["RCC", "PSBC", "ABC", "ICBC", "CCB", "BOC"])
_HOUSEHOLD_COLUMNS = [
    "id", "region_code", "status", "head_hash", "review_class", "next_review_date", "close_relative", "bank_code",
    "account_holder", "account_no_masked", "account_no_sealed", "version", "created_at", "updated_at",
]  # fmt: skip
_MEMBER_COLUMNS = [
    "household_id", "person_hash", "id_number_sealed", "name", "relation", "birth_date", "details_sealed", "joined_at",
]  # fmt: skip
_ENTITLEMENT_COLUMNS = [
    "id", "household_id", "program", "status", "monthly_amount_fen", "effective_from", "beneficiary_hash", "since",
    "updated_at",
]  # fmt: skip


@dataclass
class Registry:
    """What the seed holds that the benchmark asks for: the households' ids in the list's order, and one household's
    head (name and identity number) to search for."""

    ids: list[str]
    sought_id: str
    sought_name: str
    sought_id_number: str


async def seed_registry(conn: asyncpg.Connection, vault: PiiVault, *, county: str, households: int) -> Registry:
    """`households` active households of `county` (villages `county` + township 001–020 + village 001–030)."""
    rng = np.random.default_rng(19)
    now = dt.datetime.now(dt.UTC)
    digest = vault.keyed_digester()
    details = json.dumps({"labour_capacity": "partial"})
    sizes = rng.integers(1, 5, households).tolist()
    ids = _uuids(rng, households)
    townships, villages = rng.integers(1, 21, households).tolist(), rng.integers(1, 31, households).tolist()
    programs = rng.choice(_PROGRAMS, households, p=[0.9, 0.1]).tolist()
    due = (rng.integers(300, 901, households) * 100).tolist()
    banks = rng.choice(_BANKS, households).tolist()
    people = int(sum(sizes))
    numbers = [row.tobytes().decode() for row in id_numbers(np.arange(people, dtype=np.int64))]
    names = _names(rng, people)
    sought = households // 3
    registry = Registry(sorted(ids), ids[sought], "", "")
    person = 0
    block = 10_000
    for start in range(0, households, block):
        rows, members, entitlements = [], [], []
        for j in range(start, min(start + block, households)):
            head_hash = ""
            for k in range(sizes[j]):
                number, name = numbers[person], names[person]
                person_hash = digest(number.encode()).hex()
                if k == 0:
                    head_hash = person_hash
                    if j == sought:
                        registry.sought_name, registry.sought_id_number = name, number
                born = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
                members.append((
                    ids[j], person_hash, vault.encrypt(number, context=ID_NUMBER_CONTEXT), name, _RELATIONS[k], born,
                    vault.encrypt(details, context=DETAILS_CONTEXT), now,
                ))  # fmt: skip
                person += 1
            account = f"62170{j:014d}"
            head_name = members[-sizes[j]][3]
            rows.append((
                ids[j], f"{county}{townships[j]:03d}{villages[j]:03d}", "active", head_hash, "B",
                dt.date(2027, 1 + j % 12, 1), False, banks[j], head_name, mask_account(account),
                vault.encrypt(account, context=BANK_ACCOUNT_SEAL_CONTEXT), 1, now, now,
            ))  # fmt: skip
            entitlements.append((
                str(ids[j]) + "-e", ids[j], programs[j], "active", due[j], "2026-01", head_hash, dt.date(2026, 1, 1),
                now,
            ))  # fmt: skip
        await _copy(conn, "households", rows, _HOUSEHOLD_COLUMNS)
        await _copy(conn, "household_members", members, _MEMBER_COLUMNS)
        await _copy(conn, "entitlements", entitlements, _ENTITLEMENT_COLUMNS)
    # As autovacuum would have by the time anyone searches: the planner needs the tables' sizes.
    for table in ("households", "household_members", "entitlements"):
        await conn.execute(f"VACUUM ANALYZE {SCHEMA}.{table}")
    return registry


async def _copy(
    conn: asyncpg.Connection, table: str, records: Sequence[tuple[object, ...]], columns: list[str]
) -> None:
    if records:
        await conn.copy_records_to_table(table, schema_name=SCHEMA, records=records, columns=columns)


async def measure(households: int, requests: int) -> None:
    logs = Path(tempfile.mkdtemp(prefix="jiuzhu-bench-households-"))
    os.environ["JIUZHU_PII_KEY"] = PII_KEY
    with bench_stack("services.casework", "gateway") as (stack, env), ExitStack() as processes:
        env = admin_env(env)
        conn = await asyncpg.connect(stack.database_url)
        try:
            vault = PiiVault(CaseworkSettings().pii_key.get_secret_value())
            started = time.perf_counter()
            registry = await seed_registry(conn, vault, county=COUNTY, households=households)
            members = await conn.fetchval("SELECT count(*) FROM casework.household_members")
            seeded_in = time.perf_counter() - started
        finally:
            await conn.close()
        base = console_in_front(processes, env, logs, "casework")
        async with httpx.AsyncClient(base_url=base, timeout=300) as http:
            await sign_in(http)
        print_machine()
        print(f"county {COUNTY}: {households:,} households, {members:,} members, seeded in {seeded_in:.1f} s")
        async with httpx.AsyncClient(base_url=base, timeout=60) as browser:
            await console_sign_in(browser)
            token = CSRF.search((await browser.get("/console/households")).text)
            assert token is not None, "the search form has no CSRF token"
            middle = households // 2
            link = '<a href="/console/households/{}">'
            pages = {  # label → (path, the search form or None for a GET, what the page must show)
                "households 1–50": ("/console/households", None, link.format(registry.ids[0])),
                f"households {middle + 1:,}–{middle + 50:,}": (
                    f"/console/households?cursor={encode_cursor([registry.ids[middle - 1]])}",
                    None,
                    link.format(registry.ids[middle]),
                ),
                "by a member's name": (
                    "/console/households",
                    {"csrf_token": token.group(1), "name": registry.sought_name},
                    link.format(registry.sought_id),
                ),
                "by an identity number": (
                    "/console/households",
                    {"csrf_token": token.group(1), "id_number": registry.sought_id_number},
                    link.format(registry.sought_id),
                ),
            }
            for label, (path, form, shows) in pages.items():
                print_page(label, await timed(browser, path, shows, requests, form))
        print(f"logs in {logs}")


def main() -> None:
    run("python -m bench.console_households", measure)


if __name__ == "__main__":
    main()
