"""Raising a standard (提标, issue 20) at county scale: the preview and the confirmed batch over 100,000 recipient
households.

One county's registry (bench.console_households' seed: 100,000 active households of 1–4 members, identity numbers
and details sealed) is made dibao recipients by decided cases: each entitlement points at a case whose sealed content
holds the members and a declared wage, and pays what the dibao standard of 700.00 gives (700.00 × members − wage).
Then the county's standard rises to 750.00 from the current month, and casework's own API (in process, as its tests
run it: request → router → service → PostgreSQL) answers the preview and then the confirmation, whose batch runs to
its end before the answer returns. Measured: each, end to end, with the CPU seconds it took in this process (casework's
API) and in PostgreSQL: on a machine shared with other work, the figures to compare. The aim is under 60 s each.

    python -m bench.standard_raise [--households 100000]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import time
import uuid
from collections import Counter

import asyncpg
import httpx
import numpy as np

from bench.console_households import _copy, seed_registry
from bench.disbursement_roster import COUNTY, PII_KEY
from bench.matching_data import id_numbers
from bench.support import bench_stack, cpu_seconds, machine, process_kind
from libs.contracts.clock import business_date
from libs.contracts.period import Period
from libs.contracts.staff import StaffRole
from libs.kernel.auth import INTERNAL_HEADER, InternalTokens, Principal, PrincipalKind
from libs.kernel.pii import PiiVault
from libs.kernel.service import create_service_app
from services.casework.config import CaseworkSettings
from services.casework.context import CONTENT_CONTEXT
from services.casework.definition import DEFINITION as CASEWORK

_CASE_COLUMNS = [
    "id", "kind", "trigger", "trigger_ref", "household_id", "program", "region_code", "status",
    "applicant_name_masked", "member_count", "due_date_provisional", "emergency", "close_relative_declared",
    "close_relative_detected", "county_investigation", "content_sealed", "trigger_summary", "reasons", "version",
    "opened_at", "updated_at", "simplified_review",
]  # fmt: skip
_RELATIONS = ("head", "spouse", "child", "child")


async def decided_cases(conn: asyncpg.Connection, vault: PiiVault) -> int:
    """A decided case per entitlement, its sealed content the facts of a dibao decision at 700.00."""
    rows = await conn.fetch(
        "SELECT e.id, e.household_id, h.region_code, count(m.id) AS n FROM casework.entitlements e "
        "JOIN casework.households h ON h.id = e.household_id "
        "JOIN casework.household_members m ON m.household_id = e.household_id GROUP BY 1, 2, 3"
    )
    rng = np.random.default_rng(20)
    now = dt.datetime.now(dt.UTC)
    people = int(sum(r["n"] for r in rows))
    numbers = [row.tobytes().decode() for row in id_numbers(np.arange(people, dtype=np.int64))]
    person = 0
    cases: list[tuple[object, ...]] = []
    amounts: list[tuple[str, str, int]] = []
    for r in rows:
        n = int(r["n"])
        members: list[dict[str, object]] = []
        for k in range(n):
            number = numbers[person]
            person += 1
            born = f"{number[6:10]}-{number[10:12]}-{number[12:14]}"
            details = {"labour_capacity": "partial"}
            members.append({"id_number": number, "name": "某某", "relation": _RELATIONS[k], "birth_date": born,
                            "details": details})  # fmt: skip
        monthly_wage = int(rng.integers(0, 600)) * 100 * n  # below the standard per person
        content = {
            "members": members,
            "applicant_id_number": members[0]["id_number"],
            "declared_income": [
                {
                    "member_id_number": members[0]["id_number"],
                    "kind": "wages",
                    "amount_12_months": f"{monthly_wage * 12 // 100}.00",
                }
            ],
        }
        case_id = f"case-{uuid.uuid4()}"
        cases.append((
            case_id, "application", "application", case_id, r["household_id"], "dibao", r["region_code"], "decided",
            "某*", n, False, False, False, False, False,
            vault.encrypt(json.dumps(content, ensure_ascii=False), context=CONTENT_CONTEXT), "", [], 1, now, now, False,
        ))  # fmt: skip
        amounts.append((r["id"], case_id, 70000 * n - monthly_wage))
    for start in range(0, len(cases), 10_000):
        await _copy(conn, "cases", cases[start : start + 10_000], _CASE_COLUMNS)
    await conn.execute("CREATE TEMP TABLE held (id text, case_id text, amount bigint)")
    await conn.copy_records_to_table("held", records=amounts)
    await conn.execute(
        "UPDATE casework.entitlements e SET case_id = held.case_id, monthly_amount_fen = held.amount, "
        "program = 'dibao' FROM held WHERE held.id = e.id"
    )
    for table in ("cases", "entitlements"):
        await conn.execute(f"VACUUM ANALYZE casework.{table}")
    return len(cases)


def _cpu() -> Counter[str]:
    return cpu_seconds("this process", lambda cmdline: process_kind(cmdline, ["casework"]))


def _spent(since: Counter[str]) -> str:
    """CPU seconds by process since `since`: on a machine shared with other work, the time to compare when the
    wall-clock time is not (casework's API runs in this process; the database in its own)."""
    used = _cpu() - since
    return ", ".join(f"{kind} {seconds:.1f} s" for kind, seconds in used.most_common())


async def measure(households: int) -> None:
    os.environ["JIUZHU_PII_KEY"] = PII_KEY
    with bench_stack("services.casework") as (stack, _env):
        settings = CaseworkSettings()
        vault = PiiVault(settings.pii_key.get_secret_value())
        month = Period.of(business_date(dt.datetime.now(dt.UTC)))
        conn = await asyncpg.connect(stack.database_url)
        try:
            started = time.perf_counter()
            await seed_registry(conn, vault, county=COUNTY, households=households)
            entitlements = await decided_cases(conn, vault)
            now = dt.datetime.now(dt.UTC)
            for day, fen in ((dt.date(2020, 1, 1), 70000), (month.first_day, 75000)):
                await conn.execute(
                    "INSERT INTO casework.standards (region_prefix, effective_from, name, value, created_by, "
                    "created_at) VALUES ($1, $2, 'dibao_standard_fen', $3::jsonb, 'bench', $4)",
                    COUNTY, day, json.dumps(fen), now,
                )  # fmt: skip
            seeded_in = time.perf_counter() - started
        finally:
            await conn.close()
        app = create_service_app(CASEWORK, CASEWORK.settings().with_overrides(role="api"))
        tokens = InternalTokens(settings.internal_token_secret.get_secret_value())
        officer = Principal("u-bench", PrincipalKind.staff, "county", COUNTY, frozenset({StaffRole.county_officer}))
        headers = {INTERNAL_HEADER: tokens.sign(officer)}
        body = {"county_code": COUNTY, "effective_month": str(month)}
        load = os.getloadavg()
        print(f"machine: {machine()}; load average at the start {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
        print(
            f"county {COUNTY}: {households:,} households, {entitlements:,} dibao entitlements, "
            f"seeded in {seeded_in:.1f} s"
        )
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app)
            async with httpx.AsyncClient(transport=transport, base_url="http://casework", timeout=600) as http:
                started, cpu = time.perf_counter(), _cpu()
                preview = await http.post("/api/v1/casework/standard-raises/preview", json=body, headers=headers)
                preview_s = time.perf_counter() - started
                preview.raise_for_status()
                p = preview.json()
                print(f"preview: {preview_s:.1f} s — {p['households']:,} households, {p['persons']:,} persons, "
                      f"monthly {p['total']['monthly_before']} → {p['total']['monthly_after']} "
                      f"({p['total']['difference']}), for review {p['for_review']}")  # fmt: skip
                print(f"  CPU: {_spent(cpu)}")
                started, cpu = time.perf_counter(), _cpu()
                confirm = await http.post("/api/v1/casework/standard-raises", json=body, headers=headers)
                confirm_s = time.perf_counter() - started
                confirm.raise_for_status()
                batch = (await http.get(f"/api/v1/casework/standard-raises/{confirm.json()['batch_id']}",
                                        headers=headers)).json()  # fmt: skip
                print(f"confirm: {confirm_s:.1f} s — batch {batch['status']}, {batch['done']:,} of "
                      f"{batch['total']:,} households, {batch['changed']:,} entitlements changed")  # fmt: skip
                print(f"  CPU: {_spent(cpu)}")
        load = os.getloadavg()
        print(f"load average at the end {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--households", type=int, default=100_000)
    args = parser.parse_args()
    asyncio.run(measure(args.households))


if __name__ == "__main__":
    main()
