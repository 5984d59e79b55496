"""Monthly figures of intake, matching and complaints at the scale of a city (issue 22).

A city of 20 counties with 1,000,000 recipient households: by default three years of applications (300,000), a year
of registry hits (1,000,000, over 15 sources) and of complaints (200,000), seeded straight into the three services'
tables with set-based SQL (setup, not measured), spread over 20 counties of 10 townships of 10 villages. Then each
service's `GET /api/v1/<service>/statistics` for the last complete month is called in process, for one county and for
the whole city; the aim is under 1 s for a county and under 5 s for the city. `--explain` prints the plans.

    python -m bench.statistics_figures [--quick] [--explain]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import time
from contextlib import AsyncExitStack
from typing import Any

import asyncpg
import httpx
from sqlalchemy import event

from bench.support import bench_stack, machine, percentile
from libs.contracts.period import Period
from libs.contracts.staff import StaffRole
from libs.kernel.auth import INTERNAL_HEADER, InternalTokens, Principal, PrincipalKind
from libs.kernel.logging import configure_logging
from libs.kernel.service import ServiceDefinition, create_service_app
from services.complaints.definition import DEFINITION as COMPLAINTS
from services.intake.definition import DEFINITION as INTAKE
from services.matching.definition import DEFINITION as MATCHING

CITY = "1401"
COUNTY = "140107"
# Rows spread over the city's villages by row number: county 01–20, township 001–010, village 001–010.
_APPLICATIONS = """
INSERT INTO intake.applications (
    id, application_no, program, region_code, channel, status, applicant_hash, applicant_name_masked, member_count,
    version, close_relative_declared, created_by, created_at, updated_at, submitted_at, accepted_at, due_date,
    decided_at, decision_outcome, withdrawn_at, returned_at)
SELECT md5('a' || n)::uuid::text, 'B-' || n, (ARRAY['dibao','marginal','tekun_dispersed','temporary'])[1 + n % 4],
       village, (ARRAY['counter','online','proxy','referral'])[1 + n % 4],
       CASE WHEN decided THEN 'decided' WHEN n % 23 = 0 THEN 'withdrawn' ELSE 'accepted' END,
       md5('h' || n), '王*', 2, 1, false, 'bench-seed', at, at, at, at + interval '1 day',
       ((at + interval '31 days') AT TIME ZONE 'Asia/Shanghai')::date,
       CASE WHEN decided THEN at + (n % 40) * interval '1 day' END,
       CASE WHEN decided THEN (ARRAY['approved','rejected'])[1 + n % 2] END,
       CASE WHEN NOT decided AND n % 23 = 0 THEN at + interval '3 days' END,
       CASE WHEN n % 17 = 0 THEN at + interval '2 hours' END
  FROM (SELECT n, '1401' || lpad((1 + n % 20)::text, 2, '0') || lpad((1 + (n / 20) % 10)::text, 3, '0')
                 || lpad((1 + (n / 200) % 10)::text, 3, '0') AS village,
               $2::timestamptz - random() * interval '1095 days' AS at,
               n % 50 <> 0 AS decided
          FROM generate_series(1, $1) AS n) g
"""
_HITS = """
INSERT INTO matching.hits (
    id, rule_id, source, person, role, household_id, region_code, township_code, severity, suggested_action,
    description, evidence, evidence_key, feed_id, status, raised_at, due_date, resolved_at)
SELECT md5('t' || n)::uuid::text, 'bench-rule',
       (ARRAY['death','police_deregistration','cremation','prison','public_payroll','employee_medical_insurance',
              'work_injury','provident_fund','retirement','military','pension','vehicle','property','business',
              'flight'])[1 + n % 15],
       md5('p' || n)::uuid, 'member', 'hh-' || (n % 1000000), village, left(village, 9), 'high', 'review',
       '疑点', '{}'::jsonb, md5('e' || n), 'bench-feed', status, raised,
       (raised AT TIME ZONE 'Asia/Shanghai')::date + 14,
       CASE WHEN status <> 'open' THEN raised + (n % 20) * interval '1 day' END
  FROM (SELECT n, '1401' || lpad((1 + n % 20)::text, 2, '0') || lpad((1 + (n / 20) % 10)::text, 3, '0')
                 || lpad((1 + (n / 200) % 10)::text, 3, '0') AS village,
               $2::timestamptz - random() * interval '365 days' AS raised,
               CASE WHEN n % 30 = 0 THEN 'open' WHEN n % 3 = 0 THEN 'confirmed' ELSE 'dismissed' END AS status
          FROM generate_series(1, $1) AS n) g
"""
_COMPLAINTS = """
INSERT INTO complaints.complaints (
    id, source, channel, category, title, content, region_code, assigned_unit, anonymous, received_at, due_at,
    due_source, due_provisional, supervision_referred, status, handled_at, feedback_at, petition_id, created_by,
    created_at)
SELECT id, CASE WHEN n % 3 = 0 THEN 'hotline' ELSE 'staff' END, (ARRAY['phone','letter','visit','web'])[1 + n % 4],
       (ARRAY['complaint','report','help','consultation','suggestion'])[1 + n % 5], '反映低保问题', '请核查。',
       village, left(village, 9), n % 4 = 0, received, received + interval '15 days', 'platform', false, false,
       CASE WHEN n % 40 = 0 THEN 'investigating' ELSE 'resolved' END,
       CASE WHEN n % 40 <> 0 THEN received + (n % 20) * interval '1 day' END,
       CASE WHEN n % 40 <> 0 AND n % 4 <> 0 THEN received + (n % 20) * interval '1 day' END,
       id, 'bench-seed', received
  FROM (SELECT n, md5('c' || n)::uuid::text AS id,
               '1401' || lpad((1 + n % 20)::text, 2, '0') || lpad((1 + (n / 20) % 10)::text, 3, '0')
                 || lpad((1 + (n / 200) % 10)::text, 3, '0') AS village,
               $2::timestamptz - random() * interval '365 days' AS received
          FROM generate_series(1, $1) AS n) g
"""
_NAMES = """
WITH codes AS (
    SELECT DISTINCT left(village, k) AS code
      FROM (SELECT '1401' || lpad((1 + n % 20)::text, 2, '0') || lpad((1 + (n / 20) % 10)::text, 3, '0')
                       || lpad((1 + (n / 200) % 10)::text, 3, '0') AS village
              FROM generate_series(0, 3999) AS n) v, unnest(ARRAY[4, 6, 9, 12]) AS k),
     i AS (INSERT INTO intake.region_names (code, name, revision) SELECT code, '区划' || code, 1 FROM codes),
     m AS (INSERT INTO matching.region_names (code, name, revision) SELECT code, '区划' || code, 1 FROM codes)
INSERT INTO complaints.region_names (code, name, revision) SELECT code, '区划' || code, 1 FROM codes
"""


def _auth(tokens: InternalTokens, role: StaffRole, region: str) -> dict[str, str]:
    who = Principal(f"u-bench-{role.value}", PrincipalKind.staff, role.value, region, frozenset({role.value}))
    return {INTERNAL_HEADER: tokens.sign(who)}


async def _seed(conn: asyncpg.Connection, sizes: dict[str, int], now: dt.datetime) -> None:
    for label, sql, rows, table in (
        ("applications", _APPLICATIONS, sizes["applications"], "intake.applications"),
        ("hits", _HITS, sizes["hits"], "matching.hits"),
        ("complaints", _COMPLAINTS, sizes["complaints"], "complaints.complaints"),
    ):
        started = time.perf_counter()
        await conn.execute(sql, rows, now)
        await conn.execute(f"ANALYZE {table}")
        print(f"seed: {rows:,} {label} in {time.perf_counter() - started:.1f} s", flush=True)
    await conn.execute(_NAMES)


async def _measure(
    name: str, app: Any, tokens: InternalTokens, month: str, conn: asyncpg.Connection, *, calls: int, explain: bool
) -> None:
    path = f"/api/v1/{name}/statistics"
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url=f"http://{name}", timeout=120) as http:
        for label, role, region in (
            ("county", StaffRole.county_officer, COUNTY),
            ("city", StaffRole.city_supervisor, CITY),
        ):
            headers = _auth(tokens, role, region)
            ms = []
            for _ in range(calls):
                t0 = time.perf_counter()
                reply = await http.get(path, params={"month": month}, headers=headers)
                ms.append((time.perf_counter() - t0) * 1000)
                reply.raise_for_status()
            body = reply.json()
            first = next(iter(body["region"]["figures"].items()))
            print(
                f"  {name} {label} {region} ({len(body['children'])} children, {first[0]}={first[1]:,}): "
                f"p50 {percentile(ms, 50):.0f} ms, max {max(ms):.0f} ms over {calls} calls",
                flush=True,
            )
        if explain:
            await _explain(app, http, _auth(tokens, StaffRole.county_officer, COUNTY), path, month, conn)
            await _explain(app, http, _auth(tokens, StaffRole.city_supervisor, CITY), path, month, conn)


async def _explain(
    app: Any, http: httpx.AsyncClient, headers: dict[str, str], path: str, month: str, conn: asyncpg.Connection
) -> None:
    """The grouped counts as SQLAlchemy sends them, run again under EXPLAIN ANALYZE."""
    captured: list[tuple[str, Any]] = []

    def grab(_c: Any, _cur: Any, statement: str, parameters: Any, _ctx: Any, _many: bool) -> None:
        if "GROUP BY" in statement:
            captured.append((statement, parameters))

    engine = app.state.db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", grab)
    try:
        await http.get(path, params={"month": month}, headers=headers)
    finally:
        event.remove(engine, "before_cursor_execute", grab)
    for statement, parameters in captured:
        args = list(parameters.values()) if isinstance(parameters, dict) else list(parameters)
        plan = "\n".join(r[0] for r in await conn.fetch(f"EXPLAIN (ANALYZE, BUFFERS) {statement}", *args))
        print(f"EXPLAIN (ANALYZE, BUFFERS):\n{plan}\n", flush=True)


async def run(sizes: dict[str, int], *, calls: int, explain: bool) -> None:
    configure_logging("bench", "WARNING")
    definitions: list[ServiceDefinition] = [INTAKE, MATCHING, COMPLAINTS]
    with bench_stack("services.intake", "services.matching", "services.complaints") as (stack, _env):
        print(f"machine: {machine()}; load average now {os.getloadavg()[0]:.2f}", flush=True)
        now = dt.datetime.now(dt.UTC)
        month = str(Period.of(now.date()).prev())
        conn = await asyncpg.connect(stack.database_url)
        try:
            await _seed(conn, sizes, now)
            async with AsyncExitStack() as apps:
                for definition in definitions:
                    settings = definition.settings().with_overrides(role="api")
                    app = create_service_app(definition, settings)
                    await apps.enter_async_context(app.router.lifespan_context(app))
                    tokens = InternalTokens(settings.internal_token_secret.get_secret_value())
                    print(f"{definition.name} statistics of {month}:", flush=True)
                    await _measure(definition.name, app, tokens, month, conn, calls=calls, explain=explain)
        finally:
            await conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--applications", type=int, default=300_000)
    parser.add_argument("--hits", type=int, default=1_000_000)
    parser.add_argument("--complaints", type=int, default=200_000)
    parser.add_argument("--calls", type=int, default=5, help="calls per region and service")
    parser.add_argument("--quick", action="store_true", help="a tenth of every table")
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE of the counts")
    args = parser.parse_args()
    scale = 10 if args.quick else 1
    sizes = {
        "applications": args.applications // scale,
        "hits": args.hits // scale,
        "complaints": args.complaints // scale,
    }
    os.environ.setdefault("JIUZHU_LOG_LEVEL", "WARNING")
    asyncio.run(run(sizes, calls=args.calls, explain=args.explain))


if __name__ == "__main__":
    main()
