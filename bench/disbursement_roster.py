"""Monthly rosters at scale (issue 6): one county's roster of 1,000,000 lines built, locked, submitted and streamed
through the gateway.

The county's ledger is seeded straight into disbursement's tables with COPY (setup, not measured; see
`bench.disbursement_data`). Then, each stage timed, every request through the gateway process to the disbursement API
process: the county officer builds the roster (`POST /api/v1/disbursement/rosters`), locks it (`POST …/lock`: the
balance check, the sealed CSV export and its checksum, the settle update) and submits it; the finance client streams
`GET /api/v1/finance/rosters/{id}/lines.csv`, counting lines and hashing the bytes (the SHA-256 must be the roster's
checksum, CONTRACTS.md §3), then reads JSON pages of 1,000 lines (the first and one from the middle, by cursor).
Measured per stage: seconds, lines/s, CPU seconds per process, and the resident memory of the disbursement API and the
gateway, sampled every 0.1 s (start → peak); PostgreSQL logs every statement over 100 ms during build and lock.
References in the same run, on the same rows: a plain `COPY (SELECT … ORDER BY line_no) TO STDOUT` of the roster's
lines into a sink, and plain `INSERT … SELECT` copies of the lines (with and without the table's indexes).

    python -m bench.disbursement_roster [--lines 1000000] [--held 3000] [--quick] [--explain]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import hashlib
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import asyncpg
import httpx
import psutil

from bench.disbursement_data import Seeded, seed_county
from bench.matching_feed import MIB, Sampler, slow_statements
from bench.support import REPO_ROOT, bench_stack, machine, process
from libs.contracts.clock import business_date
from libs.kernel.pagination import encode_cursor
from libs.kernel.pii import PiiVault
from services.disbursement.config import DisbursementSettings
from services.disbursement.months import add_months, month_containing, period_of

# The very query the lock's export reads the lines with (the payee's part still sealed: a COPY cannot open it, the
# service does); asyncpg's `copy_from_query` sends a query as `COPY (<query>) TO STDOUT (FORMAT csv)`.
from services.disbursement.rosters.export import _LINES as EXPORT_QUERY

T = TypeVar("T")
ADMIN_PASSWORD = "Bench-Operator-0001"
OFFICER_PASSWORD = "bench-county-officer-0001"
PII_KEY = "bench-disbursement-pii-key-0123456789abcdef"
COUNTY = "140521"
ROSTERS = "/api/v1/disbursement/rosters"
FINANCE = "/api/v1/finance/rosters"
SLOW_MS = 100
# The CSV's columns that the lines hold in clear (identity and account numbers are only in the sealed export).
_PLAIN_COPY = """
    SELECT line_id, line_no, household_id, payee_name, bank_code, account_no_masked, program, period, amount_fen
      FROM disbursement.roster_lines WHERE roster_id = $1 ORDER BY line_no
"""


@dataclass
class Stage:
    name: str
    seconds: float
    lines: int
    rss: dict[str, tuple[float, float]]  # process → (MiB at the start, peak MiB)
    cpu: Counter[str]
    note: str = ""


@dataclass
class Measured:
    seeded: Seeded
    month: dt.date
    seed_s: float = 0.0
    stages: list[Stage] = field(default_factory=list)
    roster: dict[str, Any] = field(default_factory=dict)
    statements: list[tuple[float, str]] = field(default_factory=list)
    references: list[tuple[str, float, int]] = field(default_factory=list)
    idle_rss: dict[str, float] = field(default_factory=dict)  # MiB once started and signed in
    log_offset: int = 0  # PostgreSQL's log before the build


def _kind(cmdline: list[str]) -> str:
    line = " ".join(cmdline)
    if "services.disbursement" in line:
        return "disbursement api"
    if "-m gateway" in line:
        return "gateway"
    if "postgres" in line:  # the server and its backends
        return "postgres"
    return "broker" if "tansu" in line else "other"


def service_pids() -> dict[str, int]:
    found = {}
    for proc in psutil.Process().children(recursive=True):
        with contextlib.suppress(psutil.Error):
            kind = _kind(proc.cmdline())
            if kind in ("disbursement api", "gateway"):
                found[kind] = proc.pid
    return found


def cpu_seconds() -> Counter[str]:
    me = psutil.Process()
    totals: Counter[str] = Counter()
    for proc in [me, *me.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):
            times = proc.cpu_times()
            totals["bench client" if proc.pid == me.pid else _kind(proc.cmdline())] += times.user + times.system
    return totals


async def _bearer(http: httpx.AsyncClient, form: dict[str, str]) -> dict[str, str]:
    token = (await http.post("/api/v1/auth/token", data=form)).raise_for_status().json()["access_token"]
    return {"Authorization": f"Bearer {token}"}


async def sign_in(http: httpx.AsyncClient) -> tuple[dict[str, str], dict[str, str]]:
    """The county officer (a staff user of the county) and the finance bureau's client (scope finance)."""
    admin = await _bearer(http, {"grant_type": "password", "username": "admin", "password": ADMIN_PASSWORD})
    user = {"username": "bench.county", "password": OFFICER_PASSWORD, "display_name": "县民政局 经办人",
            "roles": ["county_officer"], "region_code": COUNTY}  # fmt: skip
    (await http.post("/api/v1/admin/users", json=user, headers=admin)).raise_for_status()
    officer = await _bearer(http, {"grant_type": "password", "username": "bench.county", "password": OFFICER_PASSWORD})
    client = {"name": "county finance bureau", "scopes": ["finance"], "region_code": COUNTY}
    created = (await http.post("/api/v1/admin/clients", json=client, headers=admin)).raise_for_status().json()
    form = {"grant_type": "client_credentials", **{k: created[k] for k in ("client_id", "client_secret")}}
    return officer, await _bearer(http, form)


async def _timed(name: str, lines: int, action: Callable[[], Awaitable[T]]) -> tuple[Stage, T]:
    with Sampler(service_pids()) as sampler:
        cpu0, t0 = cpu_seconds(), time.perf_counter()
        result = await action()
        t1, cpu1 = time.perf_counter(), cpu_seconds()
    cpu1.subtract(cpu0)
    rss = {name: (sampler.first[name] / MIB, sampler.peak[name] / MIB) for name in sampler.procs}
    return Stage(name, t1 - t0, lines, rss, cpu1), result


def _ok(reply: httpx.Response, status: int = 200) -> dict[str, Any]:
    if reply.status_code != status:
        raise RuntimeError(
            f"{reply.request.method} {reply.request.url.path} answered {reply.status_code}: {reply.text[:2000]}"
        )
    body: dict[str, Any] = reply.json()
    return body


async def stream_csv(http: httpx.AsyncClient, finance: dict[str, str], roster_id: str) -> tuple[int, int, str, str]:
    """(lines without the header, bytes, "sha256:<hex>" of the bytes, the X-Checksum header) of the CSV stream."""
    digest, size, newlines = hashlib.sha256(), 0, 0
    async with http.stream("GET", f"{FINANCE}/{roster_id}/lines.csv", headers=finance) as reply:
        if reply.status_code != 200:
            raise RuntimeError(f"lines.csv answered {reply.status_code}: {(await reply.aread())[:2000]!r}")
        async for chunk in reply.aiter_raw():
            digest.update(chunk)
            size += len(chunk)
            newlines += chunk.count(b"\n")
        header = reply.headers.get("x-checksum", "")
    return newlines - 1, size, f"sha256:{digest.hexdigest()}", header


async def service_path(m: Measured, http: httpx.AsyncClient, conn: asyncpg.Connection, log: Path) -> None:
    officer, finance = await sign_in(http)
    m.idle_rss = {name: psutil.Process(pid).memory_info().rss / MIB for name, pid in service_pids().items()}
    lines = m.seeded.lines
    await conn.execute(f"ALTER SYSTEM SET log_min_duration_statement = {SLOW_MS}")
    await conn.execute("SELECT pg_reload_conf()")
    offset = m.log_offset = log.stat().st_size  # noqa: ASYNC240 - one stat, before the clock starts
    body = {"region_code": COUNTY, "period": period_of(m.month)}
    stage, built = await _timed("build", lines, lambda: _post(http, ROSTERS, officer, body, 201))
    m.stages.append(stage)
    roster_id = built["roster_id"]
    path = f"{ROSTERS}/{roster_id}"
    stage, locked = await _timed("lock", lines, lambda: _post(http, f"{path}/lock", officer))
    m.stages.append(stage)
    await conn.execute("ALTER SYSTEM RESET log_min_duration_statement")
    await conn.execute("SELECT pg_reload_conf()")
    m.statements = slow_statements(log, offset)
    stage, _ = await _timed("submit", lines, lambda: _post(http, f"{path}/submit", officer))
    m.stages.append(stage)
    stage, (streamed, size, digest, header) = await _timed(
        "stream CSV", lines, lambda: stream_csv(http, finance, roster_id)
    )
    ok = digest == locked["checksum"] == header
    stage.note = f"{streamed:,} lines, {size / MIB:,.1f} MiB; SHA-256 {'equals' if ok else 'DIFFERS FROM'} the checksum"
    m.stages.append(stage)
    if not ok or streamed != lines:
        raise RuntimeError(f"stream: {streamed} lines, {digest} against {locked['checksum']} (header {header})")
    for label, params in (
        ("JSON page 1 (1,000 lines)", {"limit": "1000"}),
        ("JSON page from the middle", {"limit": "1000", "cursor": encode_cursor([lines // 2])}),
    ):
        stage, page = await _timed(label, 1000, partial(_get, http, f"{FINANCE}/{roster_id}/lines", finance, params))
        stage.note = f"{len(page['items'])} lines"
        m.stages.append(stage)
    m.roster = {"built": built, "locked": locked}


async def _post(
    http: httpx.AsyncClient, path: str, auth: dict[str, str], body: dict[str, Any] | None = None, status: int = 200
) -> dict[str, Any]:
    return _ok(await http.post(path, json=body, headers=auth), status)


async def _get(http: httpx.AsyncClient, path: str, auth: dict[str, str], params: dict[str, str]) -> dict[str, Any]:
    return _ok(await http.get(path, params=params, headers=auth))


async def references(conn: asyncpg.Connection, roster_id: str, period: str) -> list[tuple[str, float, int]]:
    """Plain PostgreSQL on the same rows: what the stream, the lock's export and the build's line insert cost without
    the service (the number of the indexes as the migration has them)."""
    out: list[tuple[str, float, int]] = []
    queries = (
        ("COPY (SELECT the lines' clear columns … ORDER BY line_no)", _PLAIN_COPY, (roster_id,)),
        # The lock's own query, bound as the export binds it (the roster, and the period if it takes one).
        ("COPY (the export's own SELECT)", EXPORT_QUERY, (roster_id, period)[: _arity(EXPORT_QUERY)]),
    )
    for label, query, args in queries:
        size = 0

        async def sink(data: bytes) -> None:
            nonlocal size
            size += len(data)

        started = time.perf_counter()
        status = await conn.copy_from_query(query, *args, output=sink, format="csv")
        seconds = time.perf_counter() - started
        out.append((f"{label} TO STDOUT, csv, into a sink ({size / MIB:,.0f} MiB)", seconds, int(status.split()[-1])))
    for label, like in (("with its indexes", "INCLUDING ALL"), ("no indexes", "")):
        await conn.execute(f"CREATE TABLE disbursement.bench_lines (LIKE disbursement.roster_lines {like})")
        started = time.perf_counter()
        status = await conn.execute(
            "INSERT INTO disbursement.bench_lines SELECT * FROM disbursement.roster_lines WHERE roster_id = $1",
            roster_id,
        )
        out.append((f"INSERT … SELECT of the lines into a copy of roster_lines ({label})",
                    time.perf_counter() - started, int(status.split()[-1])))  # fmt: skip
        await conn.execute("DROP TABLE disbursement.bench_lines")
    return out


def _arity(query: str) -> int:
    return max(int(n) for n in re.findall(r"\$(\d+)", query))


async def run(lines: int, held: int, *, explain: bool = False) -> Measured:
    logs = Path(tempfile.mkdtemp(prefix="jiuzhu-bench-"))  # kept, like the other benchmarks' logs
    month = add_months(month_containing(business_date(dt.datetime.now(dt.UTC))), 1)  # next month's roster
    # Shared by the service processes and this one, so the seeded ledger is sealed as the service seals it.
    os.environ["JIUZHU_PII_KEY"] = PII_KEY
    with bench_stack("services.disbursement", "gateway") as (stack, env):
        # A roster of a million lines may take longer to build than the gateway's 30 s default allows.
        env = {**env, "JIUZHU_ADMIN_PASSWORD": ADMIN_PASSWORD, "GATEWAY_UPSTREAM_TIMEOUT_SECONDS": "900"}
        subprocess.run([sys.executable, "-m", "gateway", "ensure-admin"], env=env, cwd=REPO_ROOT, check=True)
        vault = PiiVault(DisbursementSettings().pii_key.get_secret_value())
        conn = await asyncpg.connect(stack.database_url)
        try:
            started = time.perf_counter()
            seeded = await seed_county(conn, vault, county=COUNTY, month=month, lines=lines, held=held)
            m = Measured(seeded, month, seed_s=time.perf_counter() - started)
            if explain:
                await _auto_explain(conn)
            with process("services.disbursement", "api", env, logs / "disbursement-api.log") as api_port:
                gateway_env = {**env, "GATEWAY_DISBURSEMENT_URL": f"http://127.0.0.1:{api_port}"}
                with process("gateway", "api", gateway_env, logs / "gateway.log", "/healthz") as gateway_port:
                    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{gateway_port}", timeout=None) as http:  # noqa: S113 - a million-line roster
                        await service_path(m, http, conn, stack.data_dir / "postgres.log")
            report(m)  # before the references, so a failure there loses nothing
            if explain:
                plans = _plans(stack.data_dir / "postgres.log", m.log_offset)
                (logs / "plans.txt").write_text("\n\n".join(plans))
                print(f"auto_explain: {len(plans)} plans of build and lock statements over 500 ms:\n")
                print("\n\n".join(plans))
            m.references = await references(conn, m.roster["built"]["roster_id"], period_of(month))
            report_references(m)
        finally:
            await conn.close()
    return m


async def _auto_explain(conn: asyncpg.Connection) -> None:
    """`--explain`: every statement of the service's sessions over 500 ms logs its plan with actual rows and times
    (auto_explain, loaded into sessions opened from now on, so before the service process starts). The timing adds
    overhead: use it to see where the time goes, not for the figures."""
    for setting, value in (
        ("session_preload_libraries", "'auto_explain'"),
        ("auto_explain.log_min_duration", "500"),
        ("auto_explain.log_analyze", "on"),
        ("auto_explain.log_buffers", "on"),
    ):
        await conn.execute(f"ALTER SYSTEM SET {setting} = {value}")
    await conn.execute("SELECT pg_reload_conf()")


def _plans(log: Path, offset: int) -> list[str]:
    with log.open("rb") as f:
        f.seek(offset)
        text = f.read().decode(errors="replace")
    entries = re.split(r"\n(?=\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)", text)
    return [entry.strip() for entry in entries if "plan:" in entry.split("\n", 1)[0]]


def _yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


def report(m: Measured) -> None:
    s = m.seeded
    print(f"machine: {machine()}; load average now {os.getloadavg()[0]:.2f}")
    print(
        f"seed: county {s.county}, {s.households:,} households ({s.lines:,} paid, held {dict(s.held)}, "
        f"{s.released_holds:,} released holds), one-off for {s.one_off_lines:,} lines; COPY in {m.seed_s:.1f} s"
    )
    built, locked = m.roster["built"], m.roster["locked"]
    expected = f"{s.lines:,} lines, {_yuan(s.total_fen)}"
    print(
        f"roster {period_of(m.month)}: {built['line_count']:,} lines, total {built['total_amount']} "
        f"(seed says {expected}), held {built['held']}; checksum {locked['checksum'][:23]}…"
    )
    if built["line_count"] != s.lines or built["total_amount"] != _yuan(s.total_fen):
        print("  !! the roster does not add up to the seed")
    print("stages (through the gateway):")
    for st in m.stages:
        rate = f"{st.lines / st.seconds:>12,.0f} lines/s" if st.seconds else ""
        print(f"  {st.name:<26} {st.seconds:8.2f} s {rate}  {st.note}")
        memory = ", ".join(f"{name} {a:.0f} → {b:.0f} MiB (+{b - a:.1f})" for name, (a, b) in st.rss.items())
        cpu = ", ".join(f"{kind} {sec:.1f}" for kind, sec in st.cpu.most_common() if sec >= 0.05)
        print(f"      RSS start → peak: {memory}; CPU s: {cpu}")
    build_lock = sum(st.seconds for st in m.stages if st.name in ("build", "lock"))
    print(f"  build + lock: {build_lock:.2f} s (aim ≤ 10 s); idle RSS after start: "
          + ", ".join(f"{k} {v:.0f} MiB" for k, v in m.idle_rss.items()))  # fmt: skip
    print(f"statements over {SLOW_MS} ms during build and lock (PostgreSQL's log):")
    for ms, statement in m.statements:
        print(f"  {ms / 1000:7.2f} s  {statement[:160]}")


def report_references(m: Measured) -> None:
    print("references on the same rows (plain PostgreSQL, same run):")
    for what, seconds, rows in m.references:
        print(f"  {what:<90} {seconds:7.2f} s {rows / seconds:>12,.0f} rows/s ({rows:,} rows)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=1_000_000, help="lines of the roster (households paid)")
    parser.add_argument("--held", type=int, default=3_000, help="households held (death, suspension, account)")
    parser.add_argument("--quick", action="store_true", help="a roster of 100,000 lines (300 held), to check it works")
    parser.add_argument("--explain", action="store_true", help="log and print the plans of slow statements (slower)")
    args = parser.parse_args()
    lines, held = (100_000, 300) if args.quick else (args.lines, args.held)
    os.environ.setdefault("JIUZHU_LOG_LEVEL", "WARNING")
    asyncio.run(run(lines, held, explain=args.explain))


if __name__ == "__main__":
    main()
