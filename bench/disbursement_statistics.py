"""Disbursement's monthly figures at city scale (issue 22): `GET /api/v1/disbursement/statistics` for a county and
for the city, with the month's rosters paying 1,000,000 recipient households.

The ledger is generated straight in disbursement's tables by SQL (setup, not measured): a city of 10 counties, each
with its month's roster reported by finance (lines of 20 townships × 25 villages across programs, most paid, some
failed, one in ten with arrears or a one-off, one in fifty with a deduction towards a recovery), the roster of the
month before as well, the households' entitlements (where a hold is placed), 10,000 holds, 5,000 recovery orders with
collections, 2,000 temporary grants paid. Then the disbursement API process answers `--requests` requests for each
region, one after another (after 2 unmeasured ones), signed as the gateway signs a city officer; measured: p50 and
max. Aim: a county under 1 s, the city under 5 s.

    python -m bench.disbursement_statistics [--lines 1000000] [--requests 5]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from pathlib import Path

import asyncpg
import httpx

from bench.casework_statistics import timed
from bench.support import bench_stack, machine, percentile, process
from libs.kernel.auth import InternalTokens, Principal, PrincipalKind

CITY = "1499"
MONTH = "2026-11"
# Line i: county 1 + i % 10, township 1 + (i / 10) % 20, village 1 + (i / 200) % 25, as bench.casework_statistics.
_REGION_FUNCTION = """
    CREATE FUNCTION pg_temp.region(i bigint, city text) RETURNS text IMMUTABLE LANGUAGE sql AS $$
        SELECT city || lpad((1 + i % 10)::text, 2, '0') || lpad((1 + (i / 10) % 20)::text, 3, '0')
            || lpad((1 + (i / 200) % 25)::text, 3, '0')
    $$
"""
_SEED = [
    """
    INSERT INTO disbursement.rosters (id, kind, region_code, period, status, ledger_version, line_count, total_fen,
        totals, held, due_date, built_at, built_by, paid_lines, paid_fen, failed_lines, failed_fen)
    SELECT 'r' || c || '-' || p, 'monthly', $1 || lpad(c::text, 2, '0'), p, 'paid', 1, 0, 0, '{}', '{}', p + 4,
        now(), 'bench', 0, 0, 0, 0
    FROM generate_series(1, 10) AS c, unnest(ARRAY[date '2026-10-01', date '2026-11-01']) AS p
    """,
    """
    INSERT INTO disbursement.roster_lines (line_id, roster_id, line_no, period, household_id, entitlement_id,
        program, region_code, payee_name, bank_code, account_no_masked, regular_fen, amount_fen, status, paid_at)
    SELECT 'l' || i || '-' || p, 'r' || (1 + i % 10) || '-' || p, i, p, 'h' || i, 'e' || i,
        (ARRAY['dibao','dibao','dibao','dibao','dibao','dibao','dibao','tekun_dispersed','disability_living',
               'dibao_single'])[1 + (i / 7) % 10],
        pg_temp.region(i, $2), '某某', 'RCC', '6217****0001', 30000 + i % 500 * 100,
        30000 + i % 500 * 100 + CASE WHEN i % 10 = 0 THEN 5000 ELSE 0 END,
        CASE WHEN i % 97 = 0 THEN 'failed' ELSE 'paid' END, p + 7
    FROM generate_series(0, $1 - 1) AS i, unnest(ARRAY[date '2026-10-01', date '2026-11-01']) AS p
    """,
    """
    INSERT INTO disbursement.line_items (line_id, roster_id, entitlement_id, kind, month, amount_fen, note)
    SELECT 'l' || i || '-' || p, 'r' || (1 + i % 10) || '-' || p, 'e' || i,
        CASE WHEN i % 20 = 0 THEN 'arrears' ELSE 'one_off' END, CASE WHEN i % 20 = 0 THEN p - 31 END, 5000, 'n'
    FROM generate_series(0, $1 - 1, 10) AS i, unnest(ARRAY[date '2026-10-01', date '2026-11-01']) AS p
    """,
    """
    INSERT INTO disbursement.entitlements (entitlement_id, household_id, region_code, county_code, program, status,
        payee_name, payee_id_sealed, payee_hash, member_count, member_hashes, members_as_of, changed_at)
    SELECT 'e' || i, 'h' || i, pg_temp.region(i, $2), left(pg_temp.region(i, $2), 6), 'dibao', 'active', '某某',
        'x', 'x', 1, '{}', now(), now()
    FROM generate_series(0, $1 - 1) AS i
    """,
    """
    INSERT INTO disbursement.holds (id, household_id, county_code, kind, reason, created_at, created_by, released_at)
    SELECT 'hold' || i, 'h' || i, $2 || lpad((1 + i % 10)::text, 2, '0'),
        (ARRAY['death', 'suspension', 'account'])[1 + i % 3], 'r', timestamptz '2026-06-01' + (i % 180) * interval
        '1 day', 'bench', CASE WHEN i % 2 = 0 THEN timestamptz '2026-09-01' + (i % 120) * interval '1 day' END
    FROM generate_series(0, $1 - 1, $1 / 10000) AS i
    """,
    """
    INSERT INTO disbursement.recoveries (id, household_id, entitlement_id, county_code, program, reason, amount_fen,
        months, detail, detected_at, collected_fen, waived_fen, status)
    SELECT 'rec' || i, 'h' || i, 'e' || i, $2 || lpad((1 + i % 10)::text, 2, '0'), 'dibao', 'death', 30000,
        ARRAY[date '2026-10-01'], 'd', timestamptz '2026-08-01' + (i % 120) * interval '1 day', 0, 0, 'open'
    FROM generate_series(0, $1 - 1, $1 / 5000) AS i
    """,
    """
    INSERT INTO disbursement.recovery_collections (id, recovery_id, amount_fen, received_on, note, recorded_at,
        recorded_by)
    SELECT 'col' || id, id, 1000, (detected_at + interval '20 days')::date, 'n', now(), 'bench'
    FROM disbursement.recoveries
    """,
    """
    INSERT INTO disbursement.roster_lines (line_id, roster_id, line_no, period, household_id, grant_id, grant_attempt,
        program, region_code, payee_name, bank_code, account_no_masked, regular_fen, amount_fen, status, paid_at)
    SELECT 'gl' || i, 'o' || i, 1, date '2026-11-01', 'h' || i, 'g' || i, 1, 'temporary', pg_temp.region(i, $2),
        '某某', 'RCC', '6217****0001', 80000, 80000, 'paid', timestamptz '2026-10-20' + (i % 30) * interval '1 day'
    FROM generate_series(0, $1 - 1, $1 / 2000) AS i
    """,
    """
    INSERT INTO disbursement.temporary_grants (grant_id, attempt, kind, region_code, county_code, household_id,
        payee_hash, amount_fen, discovered_at, pay_by, issued_at, order_id, line_id, status, created_at)
    SELECT 'g' || i, 1, 'ordinary', pg_temp.region(i, $2), left(pg_temp.region(i, $2), 6), 'h' || i, 'p', 80000,
        now(), date '2026-11-01', now(), 'o' || i, 'gl' || i, 'paid', now()
    FROM generate_series(0, $1 - 1, $1 / 2000) AS i
    """,
    """
    INSERT INTO disbursement.region_names (code, name, revision)
    SELECT DISTINCT substr(region_code, 1, n), 'bench' || substr(region_code, 1, n), 1
    FROM disbursement.entitlements, unnest(ARRAY[4, 6, 9, 12]) AS n
    """,
]
_TABLES = ("rosters", "roster_lines", "line_items", "entitlements", "holds", "recoveries", "recovery_collections")


async def seed(conn: asyncpg.Connection, lines: int) -> None:
    await conn.execute(_REGION_FUNCTION)
    rosters, *with_city, names = _SEED
    await conn.execute(rosters, CITY)
    for statement in with_city:
        args = (lines, CITY) if "$2" in statement else (lines,) if "$1" in statement else ()
        await conn.execute(statement, *args)
    await conn.execute(names)
    for table in (*_TABLES, "temporary_grants", "region_names"):
        await conn.execute(f"VACUUM ANALYZE disbursement.{table}")


async def measure(lines: int, requests: int) -> None:
    logs = Path(tempfile.mkdtemp(prefix="jiuzhu-bench-statistics-"))
    with bench_stack("services.disbursement") as (stack, env):
        conn = await asyncpg.connect(stack.database_url)
        try:
            started = time.perf_counter()
            await seed(conn, lines)
            count = await conn.fetchval("SELECT count(*) FROM disbursement.roster_lines")
            seeded_in = time.perf_counter() - started
        finally:
            await conn.close()
        with process("services.disbursement", "api", env, logs / "disbursement.log") as port:
            principal = Principal("bench", PrincipalKind.staff, "bench", CITY, frozenset({"county_officer"}))
            headers = {"X-Jiuzhu-Principal": InternalTokens(env["JIUZHU_INTERNAL_TOKEN_SECRET"], 3600).sign(principal)}
            load = os.getloadavg()
            print(f"machine: {machine()}; load average at the start {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
            print(
                f"city {CITY}: {lines:,} households paid a month, {count:,} roster lines, seeded in {seeded_in:.1f} s"
            )
            base = f"http://127.0.0.1:{port}/api/v1/disbursement/statistics?month={MONTH}"
            async with httpx.AsyncClient(timeout=300) as http:
                for label, region in (("county", f"{CITY}01"), ("city", CITY), ("township", f"{CITY}01001")):
                    times = await timed(http, f"{base}&region={region}", headers, requests)
                    p50, top = percentile(times, 50), max(times)
                    print(f"{label:<9} {region:<10} n={len(times)} p50={p50:.0f} ms max={top:.0f} ms")
        print(f"logs in {logs}")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.disbursement_statistics")
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=5)
    args = parser.parse_args()
    asyncio.run(measure(args.lines, args.requests))


if __name__ == "__main__":
    main()
