"""Casework's monthly figures at city scale (issue 22): `GET /api/v1/casework/statistics` for a county and for the
city, with 1,000,000 recipient households in the city's registry.

The registry is generated straight in casework's tables by SQL (setup, not measured; the figures read no sealed
value, so members carry placeholders): a city of 10 counties × 20 townships × 25 villages, households of 1–4 members
(some left during 2026), one entitlement each across programs (dibao, marginal, tekun, single-person, elderly,
orphan; some stopped, some in gradual exit, granted from 2020 on), a disability subsidy for one in ten, 200,000 cases
(periodic reviews due and decided, applications approved and refused, month by month) and the villages' reports.
Then the casework API process answers `--requests` requests for each region, one after another (after 2 unmeasured
ones), signed as the gateway signs a city officer; measured: p50 and max. First counted live from the registry, then
after the month is built (the nightly job's `build_month` for every village, timed) from the kept rows. Aim: a county
under 1 s, the city under 5 s.

    python -m bench.casework_statistics [--households 1000000] [--requests 10]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import tempfile
import time
from pathlib import Path

import asyncpg
import httpx

from bench.support import bench_stack, machine, percentile, process
from libs.contracts.period import Period
from libs.kernel.auth import InternalTokens, Principal, PrincipalKind
from libs.kernel.db import Database
from services.casework.definition import DEFINITION as CASEWORK
from services.casework.statistics.service import build_month

CITY = "1499"
MONTH = "2026-11"

_SEED = [
    """
    INSERT INTO casework.households (id, region_code, status, review_class, close_relative, version, created_at,
        updated_at)
    SELECT 'h' || lpad(i::text, 8, '0'),
        $2 || lpad((1 + i % 10)::text, 2, '0') || lpad((1 + (i / 10) % 20)::text, 3, '0')
            || lpad((1 + (i / 200) % 25)::text, 3, '0'),
        'active', 'B', false, 1, now(), now()
    FROM generate_series(0, $1 - 1) AS i
    """,
    """
    INSERT INTO casework.household_members (household_id, person_hash, id_number_sealed, name, relation, birth_date,
        details_sealed, joined_at, left_at)
    SELECT 'h' || lpad(i::text, 8, '0'), md5(i::text || '-' || k), 'x', '某某', 'member', date '1970-01-01', 'x',
        timestamptz '2020-01-01 00:00+08' + (i % 2000) * interval '1 day',
        CASE WHEN (i + k) % 17 = 0 THEN timestamptz '2026-01-01 00:00+08' + ((i + k) % 330) * interval '1 day' END
    FROM generate_series(0, $1 - 1) AS i, generate_series(1, 4) AS k
    WHERE k <= 1 + i % 4
    """,
    """
    INSERT INTO casework.entitlements (id, household_id, program, status, monthly_amount_fen, effective_from,
        effective_to, beneficiary_hash, since, updated_at)
    SELECT 'h' || lpad(i::text, 8, '0') || '-e', 'h' || lpad(i::text, 8, '0'),
        (ARRAY['dibao','dibao','dibao','dibao','dibao','dibao','dibao','dibao','dibao','dibao','dibao','dibao',
               'marginal','marginal','tekun_dispersed','tekun_centralized','dibao_single','elderly_high_age',
               'orphan','dibao'])[1 + i % 20],
        CASE WHEN i % 13 = 0 THEN 'stopped' WHEN i % 29 = 0 THEN 'gradual_exit' ELSE 'active' END,
        CASE WHEN i % 13 = 0 THEN 0 ELSE 30000 + (i % 700) * 100 END,
        CASE WHEN i % 13 = 0 THEN to_char(date '2025-01-01' + (i % 23) * interval '1 month', 'YYYY-MM')
             ELSE to_char(date '2020-01-01' + (i % 2500) * interval '1 day', 'YYYY-MM') END,
        CASE WHEN i % 29 = 0 AND i % 13 <> 0 THEN to_char(date '2026-06-01' + (i % 12) * interval '1 month', 'YYYY-MM')
        END,
        CASE WHEN 1 + i % 20 IN (18, 19) THEN md5(i::text) END,
        date '2020-01-01' + (i % 2500), now()
    FROM generate_series(0, $1 - 1) AS i
    """,
    """
    INSERT INTO casework.entitlements (id, household_id, program, status, monthly_amount_fen, effective_from,
        beneficiary_hash, since, updated_at)
    SELECT 'h' || lpad(i::text, 8, '0') || '-d', 'h' || lpad(i::text, 8, '0'), 'disability_living', 'active', 9000,
        '2023-01', md5('d' || i), date '2023-01-01', now()
    FROM generate_series(0, $1 - 1, 10) AS i
    """,
    """
    INSERT INTO casework.cases (id, kind, trigger, trigger_ref, household_id, program, region_code, status,
        applicant_name_masked, member_count, due_date, due_date_provisional, emergency, close_relative_declared,
        close_relative_detected, county_investigation, content_sealed, trigger_summary, outcome, reasons, decided_at,
        version, opened_at, updated_at, simplified_review)
    SELECT 'c' || i, CASE WHEN i % 3 = 0 THEN 'application' ELSE 'periodic' END, 'bench', 'c' || i, h.id, 'dibao',
        h.region_code, CASE WHEN i % 4 = 0 THEN 'investigating' ELSE 'decided' END, '王*', 2,
        date '2025-01-01' + (i % 700), false, false, false, false, false, 'x', '',
        CASE WHEN i % 4 = 0 THEN NULL WHEN i % 5 = 0 THEN 'rejected' ELSE 'approved' END, '{}',
        CASE WHEN i % 4 <> 0 THEN timestamptz '2025-01-05 00:00+08' + (i % 700) * interval '1 day' END,
        1, now(), now(), false
    FROM generate_series(0, $1 / 5 - 1) AS i JOIN casework.households h ON h.id = 'h' || lpad((i * 5)::text, 8, '0')
    """,
    """
    INSERT INTO casework.village_reports (id, village_code, period, zero_report, late, filed_by, filed_at)
    SELECT DISTINCT ON (region_code) 'vr' || region_code, region_code, $1, true, false, 'bench', now()
    FROM casework.households WHERE right(region_code, 1) <> '3'
    """,
    """
    INSERT INTO casework.region_names (code, name, revision)
    SELECT DISTINCT substr(region_code, 1, n), 'bench' || substr(region_code, 1, n), 1
    FROM casework.households, unnest(ARRAY[4, 6, 9, 12]) AS n
    """,
]


async def seed(conn: asyncpg.Connection, households: int) -> None:
    households_sql, members, entitlements, subsidies, cases, reports, names = _SEED
    await conn.execute(households_sql, households, CITY)
    for statement in (members, entitlements, subsidies, cases):
        await conn.execute(statement, households)
    await conn.execute(reports, MONTH)
    await conn.execute(names)
    # As autovacuum would have by the time anyone asks: the planner needs the tables' sizes.
    for table in ("households", "household_members", "entitlements", "cases", "village_reports", "region_names"):
        await conn.execute(f"VACUUM ANALYZE casework.{table}")


async def timed(http: httpx.AsyncClient, url: str, headers: dict[str, str], requests: int) -> list[float]:
    times = []
    for i in range(requests + 2):
        started = time.perf_counter()
        reply = await http.get(url, headers=headers)
        elapsed = (time.perf_counter() - started) * 1000
        reply.raise_for_status()
        if i >= 2:
            times.append(elapsed)
    return times


async def regions(http: httpx.AsyncClient, base: str, headers: dict[str, str], requests: int, how: str) -> None:
    for label, region in (("county", f"{CITY}01"), ("city", CITY), ("township", f"{CITY}01001")):
        times = await timed(http, f"{base}&region={region}", headers, requests)
        p50, top = percentile(times, 50), max(times)
        print(f"{how} {label:<9} {region:<10} n={len(times)} p50={p50:.0f} ms max={top:.0f} ms")


async def measure(households: int, requests: int) -> None:
    logs = Path(tempfile.mkdtemp(prefix="jiuzhu-bench-statistics-"))
    with bench_stack("services.casework") as (stack, env):
        conn = await asyncpg.connect(stack.database_url)
        try:
            started = time.perf_counter()
            await seed(conn, households)
            counts = await conn.fetchrow(
                "SELECT (SELECT count(*) FROM casework.household_members) AS m,"
                " (SELECT count(*) FROM casework.entitlements) AS e, (SELECT count(*) FROM casework.cases) AS c"
            )
            seeded_in = time.perf_counter() - started
        finally:
            await conn.close()
        with process("services.casework", "api", env, logs / "casework.log") as port:
            principal = Principal("bench", PrincipalKind.staff, "bench", CITY, frozenset({"county_officer"}))
            headers = {"X-Jiuzhu-Principal": InternalTokens(env["JIUZHU_INTERNAL_TOKEN_SECRET"], 3600).sign(principal)}
            load = os.getloadavg()
            print(f"machine: {machine()}; load average at the start {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
            print(
                f"city {CITY}: {households:,} households, {counts['m']:,} members, {counts['e']:,} entitlements, "
                f"{counts['c']:,} cases, seeded in {seeded_in:.1f} s"
            )
            base = f"http://127.0.0.1:{port}/api/v1/casework/statistics?month={MONTH}"
            async with httpx.AsyncClient(timeout=300) as http:
                await regions(http, base, headers, requests, "live")
                db = Database(CASEWORK.settings(), "casework")
                try:
                    started = time.perf_counter()
                    async with db.sessions.begin() as session:
                        kept = await build_month(session, Period.parse(MONTH), "", dt.datetime.now(dt.UTC))
                    print(f"built {MONTH} for the city: {kept:,} rows in {time.perf_counter() - started:.1f} s")
                finally:
                    await db.dispose()
                await regions(http, base, headers, requests, "kept")
        print(f"logs in {logs}")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.casework_statistics")
    parser.add_argument("--households", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=10)
    args = parser.parse_args()
    asyncio.run(measure(args.households, args.requests))


if __name__ == "__main__":
    main()
