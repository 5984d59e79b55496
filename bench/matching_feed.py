"""Registry matching at scale (issue 5): a pension feed of 10,000,000 rows against a watch list of 1,000,000 people.

The feed goes the provider's way: streamed from disk through the gateway to `POST /api/v1/matching/feeds` (parsed,
checked, hashed and COPied while the body streams; the 202 comes once it is all in), then matched by the worker
(`matched` join, hits of the pension rules, the person index), polled at `GET /feeds/{id}` until `done`. Every tenth
watch-list person is in the feed, so about 100,000 hits are raised. Measured: seconds and rows/s per stage, the run's
own breakdown from its timestamps and the slow SQL statements from PostgreSQL's log, CPU seconds per process, and the
resident memory of the matching API, the worker and the gateway, sampled every 0.1 s (a streamed feed keeps it flat).
References in the same run, on the same file: DuckDB joining the CSV with the watch list's numbers (plain, and hashing
every number with sha256), and a plain PostgreSQL COPY of the CSV into a table.

The watch list is seeded straight into matching's tables with COPY (setup, not measured), keyed as the service keys
people (`PersonKeys` under the same PII key the service processes get).

    python -m bench.matching_feed [--persons 1000000] [--rows 10000000] [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import duckdb
import httpx
import numpy as np
import psutil
import pyarrow as pa

from bench.matching_data import FeedFile, seed_watch_list, watch_ids, write_feed
from bench.support import REPO_ROOT, bench_stack, machine, process
from libs.kernel.pii import PiiVault
from services.matching.config import MatchingSettings
from services.matching.persons import PersonKeys

ADMIN_PASSWORD = "Bench-Operator-0001"
PII_KEY = "bench-matching-pii-key-0123456789abcdef"
FEEDS = "/api/v1/matching/feeds"
AS_OF = "2026-11-20"
MIB = 1024 * 1024


class Sampler:
    """Resident memory of some processes, every `interval` seconds in a thread: the first sample and the peak."""

    def __init__(self, pids: dict[str, int], interval: float = 0.1) -> None:
        self.procs = {name: psutil.Process(pid) for name, pid in pids.items()}
        self.first = {name: p.memory_info().rss for name, p in self.procs.items()}
        self.peak = dict(self.first)
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            for name, proc in self.procs.items():
                with contextlib.suppress(psutil.Error):
                    self.peak[name] = max(self.peak[name], proc.memory_info().rss)

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


def _kind(cmdline: list[str]) -> str:
    line = " ".join(cmdline)
    if "services.matching" in line:
        return "matching worker" if "worker" in line else "matching api"
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
            if kind in ("matching api", "matching worker", "gateway"):
                found[kind] = proc.pid
    return found


def cpu_seconds() -> Counter[str]:
    """CPU (user + system) used so far by this process (the client) and by each kind of child process."""
    me = psutil.Process()
    totals: Counter[str] = Counter()
    for proc in [me, *me.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):
            times = proc.cpu_times()
            totals["bench client" if proc.pid == me.pid else _kind(proc.cmdline())] += times.user + times.system
    return totals


def _delta(after: Counter[str], before: Counter[str]) -> Counter[str]:
    out = Counter(after)
    out.subtract(before)
    return out


@dataclass
class Measured:
    feed: FeedFile
    upload_s: float = 0.0
    match_s: float = 0.0
    feed_view: dict[str, Any] = field(default_factory=dict)
    hits: int = 0
    timeline: dict[str, float] = field(default_factory=dict)  # stage → seconds, from the service's timestamps
    partition_mib: float = 0.0
    rss: dict[str, tuple[float, float]] = field(default_factory=dict)  # process → (before MiB, peak MiB)
    cpu_upload: Counter[str] = field(default_factory=Counter)
    cpu_match: Counter[str] = field(default_factory=Counter)
    statements: list[tuple[float, str]] = field(default_factory=list)
    references: list[tuple[str, float, int]] = field(default_factory=list)  # (what, seconds, rows found)
    setup: dict[str, float] = field(default_factory=dict)

    @property
    def whole_s(self) -> float:
        return self.upload_s + self.match_s


async def _file_chunks(path: Path, size: int = 1 * MIB) -> AsyncIterator[bytes]:
    with path.open("rb") as body:
        while chunk := body.read(size):
            yield chunk


async def _token(http: httpx.AsyncClient) -> dict[str, str]:
    form = {"grant_type": "password", "username": "admin", "password": ADMIN_PASSWORD}
    admin = (await http.post("/api/v1/auth/token", data=form)).raise_for_status().json()["access_token"]
    client = {"name": "registry data exchange", "scopes": ["registry_feed"], "region_code": "14"}
    reply = await http.post("/api/v1/admin/clients", json=client, headers={"Authorization": f"Bearer {admin}"})
    created = reply.raise_for_status().json()
    form = {"grant_type": "client_credentials", **{k: created[k] for k in ("client_id", "client_secret")}}
    token = (await http.post("/api/v1/auth/token", data=form)).raise_for_status().json()["access_token"]
    return {"Authorization": f"Bearer {token}"}


async def _upload(http: httpx.AsyncClient, auth: dict[str, str], feed: FeedFile) -> dict[str, Any]:
    headers = {**auth, "Content-Type": "text/csv", "Content-Length": str(feed.bytes)}
    reply = await http.post(
        FEEDS, params={"source": "pension", "as_of": AS_OF}, content=_file_chunks(feed.path), headers=headers
    )
    if reply.status_code != 202:
        raise RuntimeError(f"upload answered {reply.status_code}: {reply.text[:2000]}")
    view: dict[str, Any] = reply.json()
    return view


async def _until_done(http: httpx.AsyncClient, auth: dict[str, str], feed_id: str) -> dict[str, Any]:
    while True:
        view: dict[str, Any] = (await http.get(f"{FEEDS}/{feed_id}", headers=auth)).raise_for_status().json()
        if view["status"] == "done":
            return view
        if view["status"] == "failed":
            raise RuntimeError(f"the feed failed: {view.get('error')}")
        await asyncio.sleep(0.2)


async def _timeline(conn: asyncpg.Connection, feed_id: str, seen_done: datetime) -> dict[str, float]:
    feed = await conn.fetchrow("SELECT * FROM matching.feeds WHERE id = $1", feed_id)
    run = await conn.fetchrow("SELECT * FROM matching.runs WHERE feed_id = $1 ORDER BY id LIMIT 1", feed_id)
    assert feed is not None and run is not None  # noqa: PT018 - not a test
    marks = [
        ("load (received → loaded)", feed["received_at"], feed["loaded_at"]),
        ("waiting for the worker's poll", feed["loaded_at"], feed["started_at"]),
        ("ANALYZE of the partition", feed["started_at"], run["started_at"]),
        ("run: matched join, deaths, hits", run["started_at"], run["finished_at"]),
        ("person index, re-verify, supersede", run["finished_at"], feed["finished_at"]),
        ("commit, seen by the next poll", feed["finished_at"], seen_done),
    ]
    return {name: (end - start).total_seconds() for name, start, end in marks}


_DURATION = re.compile(r"duration: ([0-9.]+) ms\s+(?:statement|execute [^:]*):\s*(.*)")
_PREFIX = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d")


def slow_statements(log: Path, offset: int) -> list[tuple[float, str]]:
    """(ms, statement) of every statement PostgreSQL logged as slow after `offset` (log_min_duration_statement)."""
    with log.open("rb") as f:
        f.seek(offset)
        lines = f.read().decode(errors="replace").splitlines()
    found: list[tuple[float, str]] = []
    current: list[str] | None = None
    for line in lines:
        if _PREFIX.match(line):
            current = None
            if (m := _DURATION.search(line)) is not None:
                current = [m.group(2)]
                found.append((float(m.group(1)), ""))
        elif current is not None:
            current.append(line)
        if current is not None and found:
            found[-1] = (found[-1][0], " ".join(" ".join(current).split()))
    return found


def duckdb_references(feed: FeedFile, ids: np.ndarray) -> list[tuple[str, float, int]]:
    con = duckdb.connect()
    numbers = pa.table({"id_number": pa.array(ids.view("S18").ravel().astype("U18"))})
    con.register("numbers", numbers)
    con.execute("CREATE TABLE watch AS SELECT id_number, sha256(id_number) AS h FROM numbers")
    csv = (
        f"read_csv('{feed.path}', header = true, "
        "columns = {'id_number': 'VARCHAR', 'name': 'VARCHAR', 'status': 'VARCHAR', 'monthly_amount': 'VARCHAR'})"
    )
    join = f"SELECT count(*) FROM {csv} f JOIN watch w"  # noqa: S608 - a file this benchmark wrote
    queries = [
        ("DuckDB: CSV join watch list on id_number", f"{join} USING (id_number)"),
        ("DuckDB: CSV join on sha256(id_number)", f"{join} ON sha256(f.id_number) = w.h"),
    ]
    out = []
    for name, sql in queries:
        started = time.perf_counter()
        row = con.execute(sql).fetchone()
        out.append((name, time.perf_counter() - started, int(row[0]) if row else -1))
    con.close()
    return out


async def copy_references(conn: asyncpg.Connection, feed: FeedFile) -> list[tuple[str, float, int]]:
    out = []
    for kind in ("UNLOGGED", ""):
        await conn.execute(
            f"CREATE {kind} TABLE matching.bench_copy (id_number text, name text, status text, monthly_amount numeric)"
        )
        started = time.perf_counter()
        await conn.copy_to_table("bench_copy", schema_name="matching", source=feed.path, format="csv", header=True)
        seconds = time.perf_counter() - started
        rows = int(await conn.fetchval("SELECT count(*) FROM matching.bench_copy"))
        await conn.execute("DROP TABLE matching.bench_copy")
        out.append((f"PostgreSQL: COPY of the CSV into a {(kind or 'logged').lower()} table", seconds, rows))
    return out


async def run(persons: int, rows: int, workdir: Path) -> Measured:
    started = time.perf_counter()
    feed = write_feed(workdir / "pension.csv", persons, rows)
    ids = watch_ids(persons)
    measured = Measured(feed, setup={"feed CSV written (NumPy)": time.perf_counter() - started})
    logs = Path(tempfile.mkdtemp(prefix="jiuzhu-bench-"))  # kept, like the other benchmarks' logs
    # Shared by the service processes and this one, so the seeded watch list is keyed as the service keys feeds.
    os.environ["JIUZHU_PII_KEY"] = PII_KEY
    with bench_stack("services.matching", "gateway") as (stack, env):
        env = {
            **env,
            "JIUZHU_ADMIN_PASSWORD": ADMIN_PASSWORD,
            "MATCHING_FEED_POLL_SECONDS": "0.2",
            # The scheduled pass would re-run the pension feed a minute later, in the middle of the references.
            "MATCHING_SCHEDULE_INTERVAL_SECONDS": "3600",
        }
        subprocess.run([sys.executable, "-m", "gateway", "ensure-admin"], env=env, cwd=REPO_ROOT, check=True)
        keys = PersonKeys(PiiVault(MatchingSettings().pii_key.get_secret_value()))
        conn = await asyncpg.connect(stack.database_url)
        try:
            started = time.perf_counter()
            watch = await seed_watch_list(conn, keys, ids)
            measured.setup[f"watch list seeded ({watch.households:,} households, {watch.members:,} members)"] = (
                time.perf_counter() - started
            )
            await _service_path(measured, env, logs, conn, stack.data_dir / "postgres.log")
            measured.references = await copy_references(conn, feed)
        finally:
            await conn.close()
    measured.references += duckdb_references(feed, ids)
    return measured


async def _service_path(
    measured: Measured, env: dict[str, str], logs: Path, conn: asyncpg.Connection, log: Path
) -> None:
    feed = measured.feed
    with (
        process("services.matching", "api", env, logs / "matching-api.log") as api_port,
        process("services.matching", "worker", env, logs / "matching-worker.log"),
    ):
        gateway_env = {**env, "GATEWAY_MATCHING_URL": f"http://127.0.0.1:{api_port}"}
        with process("gateway", "api", gateway_env, logs / "gateway.log", "/healthz") as gateway_port:
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{gateway_port}", timeout=None) as http:  # noqa: S113 - a 10M-row upload
                auth = await _token(http)
                await conn.execute("ALTER SYSTEM SET log_min_duration_statement = 50")
                await conn.execute("SELECT pg_reload_conf()")
                offset = log.stat().st_size  # noqa: ASYNC240 - one stat, before the clock starts
                with Sampler(service_pids()) as sampler:
                    cpu0, t0 = cpu_seconds(), time.perf_counter()
                    view = await _upload(http, auth, feed)
                    cpu1, t1 = cpu_seconds(), time.perf_counter()
                    done = await _until_done(http, auth, view["feed_id"])
                    cpu2, t2, seen = cpu_seconds(), time.perf_counter(), datetime.now(UTC)
                await conn.execute("ALTER SYSTEM RESET log_min_duration_statement")
                await conn.execute("SELECT pg_reload_conf()")
    measured.upload_s, measured.match_s = t1 - t0, t2 - t1
    measured.cpu_upload, measured.cpu_match = _delta(cpu1, cpu0), _delta(cpu2, cpu1)
    measured.feed_view = done
    measured.rss = {name: (sampler.first[name] / MIB, sampler.peak[name] / MIB) for name in sampler.procs}
    feed_id = done["feed_id"]
    measured.hits = int(await conn.fetchval("SELECT count(*) FROM matching.hits WHERE feed_id = $1", feed_id))
    measured.timeline = await _timeline(conn, feed_id, seen)
    feed_no = await conn.fetchval("SELECT feed_no FROM matching.feeds WHERE id = $1", feed_id)
    size = await conn.fetchval(f"SELECT pg_total_relation_size('matching.records_f{int(feed_no)}')")
    measured.partition_mib = int(size) / MIB
    measured.statements = slow_statements(log, offset)


def report(m: Measured) -> None:
    rows = m.feed.rows
    print(f"machine: {machine()}; load average now {os.getloadavg()[0]:.2f}")
    print(
        f"feed: pension, {rows:,} rows, {m.feed.bytes / MIB:,.1f} MiB; {m.feed.watched_rows:,} rows name watched people"
    )
    for what, seconds in m.setup.items():
        print(f"setup: {what}: {seconds:.1f} s")
    v = m.feed_view
    print(
        f"feed view: status {v['status']}, rows_total {v['rows_total']:,}, rows_loaded {v['rows_loaded']:,}, "
        f"rows_rejected {v['rows_rejected']:,}, hits_raised {v['hits_raised']:,}; hits in matching.hits: {m.hits:,}"
    )
    print(f"records partition on disk (with its person index): {m.partition_mib:,.0f} MiB")
    print("service path (through the gateway):")
    for stage, seconds in (
        ("upload until 202 (parse, check, hash, COPY)", m.upload_s),
        ("202 until GET says done (match, hits, index)", m.match_s),
        ("whole path", m.whole_s),
    ):
        print(f"  {stage:<46} {seconds:7.2f} s  {rows / seconds:>12,.0f} rows/s")
    print("  the service's own timestamps:")
    for stage, seconds in m.timeline.items():
        print(f"    {stage:<44} {seconds:7.2f} s")
    for label, cpu in (("upload", m.cpu_upload), ("match", m.cpu_match)):
        used = ", ".join(f"{kind} {s:.1f}" for kind, s in cpu.most_common() if s >= 0.05)
        print(f"  CPU seconds during the {label}: {used}")
    print(
        f"  resident memory (MiB, before → peak, sampled every 0.1 s) against a feed of {m.feed.bytes / MIB:,.0f} MiB:"
    )
    for name, (before, peak) in m.rss.items():
        print(f"    {name:<16} {before:7.1f} → {peak:7.1f}  (+{peak - before:.1f})")
    print("  statements over 50 ms (PostgreSQL's log):")
    for ms, statement in m.statements:
        print(f"    {ms / 1000:7.2f} s  {statement[:150]}")
    print("references on the same CSV:")
    for what, seconds, found in m.references:
        print(f"  {what:<56} {seconds:7.2f} s  {rows / seconds:>12,.0f} rows/s  ({found:,} rows)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--persons", type=int, default=1_000_000, help="people on the watch list")
    parser.add_argument("--rows", type=int, default=10_000_000, help="rows of the feed")
    parser.add_argument("--quick", action="store_true", help="100,000 people and 1,000,000 rows, to check it works")
    args = parser.parse_args()
    persons, rows = (100_000, 1_000_000) if args.quick else (args.persons, args.rows)
    os.environ.setdefault("JIUZHU_LOG_LEVEL", "WARNING")
    workdir = Path(tempfile.mkdtemp(prefix="jiuzhu-bench-matching-"))
    try:
        report(asyncio.run(run(persons, rows, workdir)))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
