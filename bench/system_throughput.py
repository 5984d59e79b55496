"""The whole system: applications per minute from submission to decision, and the event latency between services.

Every service runs as production runs it (deploy/k8s): an API process and a worker process each, the gateway in front,
PostgreSQL with fsync on and the broker behind, all started by the benchmark. `--concurrency` lanes each carry one
application at a time through its whole path, as the staff of one township and its county would, every request
through the gateway with the staff member's own bearer token:

1. the village assistant files a three-member dibao application and submits it; the township officer accepts it
   (intake writes `application-submitted` to its outbox);
2. casework opens the case and matching verifies the household, both from that event over the broker; matching's
   `verification-completed` moves the case to investigation (the lane waits for the case to reach `investigating`);
3. the township officer records the home investigation and proposes approval (the case goes to publicity);
4. publicity lasts `publicity_days` (at least one day): the benchmark lets those days pass by moving the posting's
   dates back in casework's `cases` table until it ended yesterday (as tests/e2e/journey_payment.py does; no setting
   moves casework's clock), and casework's worker ends the posting at its next job tick (the jobs run every
   `PUBLICITY_TICK` seconds here, 30 s by default in production);
5. the county officer confirms the decision (casework writes `case-decided`, `household-changed` and
   `entitlement-changed`, consumed by intake, matching and disbursement).

Per application the time from the submit request to the decision's reply is measured, with its stages; the batch's
wall clock gives applications per minute. The waits of step 2 and 4 watch casework's `cases` table directly (every
`WATCH_INTERVAL` s, one query for all lanes) rather than polling through the gateway, whose polls would load the system
and add their own interval.

After the batch every event of the measured window is joined across the five schemas, from the timestamps PostgreSQL
keeps (bench/system_stack.py turns on commit timestamps and notes each outbox row's transaction): the producer's
outbox row (`created_at`, its transaction's start; that transaction's commit; `sent_at`, the start of the relay's
transaction that published it; the relay's commit, after the broker's acks) with each consumer's inbox row
(`received_at`, the start of the handling transaction; its commit). A hop's latency runs from the producer's commit to
the consumer's commit (the event handled), split into: commit → relay (the relay's wake-up, or its previous batch),
the relay's transaction, relay start → consumer start (broker, fetch, the consumer's queue), the handler.
Also reported: per consumer group (its lanes handle partitions side by side, `CONSUMER_LANES`) the share of the
batch spent inside its handlers (over 100 % when lanes overlap) and the gap between two handlers while the next event
waited; the CPU seconds of each kind of process per decided application; the load average.

    python -m bench.system_throughput [--applications 200] [--concurrency 24] [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import itertools
import os
import statistics
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg
import orjson

from bench.intake_throughput import IdentityNumbers
from bench.support import cpu_seconds as support_cpu_seconds
from bench.support import machine, percentile, process_kind
from bench.system_stack import ADMIN_PASSWORD, SERVICES, whole_system
from libs.contracts.clock import china_today
from libs.demo_county.casework import FIGURES
from libs.kernel.logging import scrub
from tests.intake.support import application_body as intake_application_body
from tests.intake.support import member

APPLICATIONS = "/api/v1/intake/applications"
CASES = "/api/v1/casework/cases"
PUBLICITY_TICK = 1.0  # CASEWORK_JOBS_INTERVAL_SECONDS: how often casework's worker ends postings that are due
WATCH_INTERVAL = 0.02  # how often the lanes' waits look at casework's cases
WAIT_TIMEOUT = 120.0
BORN = (date(1975, 3, 14), date(1978, 6, 2), date(2010, 9, 30))  # head, spouse, child
PROPOSAL = {"outcome": "approved", "reasons": ["家庭人均收入低于当地低保标准"], "review_class": "B"}
STATUS_ORDER = ("awaiting_verification", "investigating", "township_review", "publicity", "confirmation", "decided")
# Each application's stages, in order: (name, the mark it starts at, the mark it ends at).
STAGES = (
    ("file and submit (assistant, 2 requests)", "filed", "submitted"),
    ("accept (township, 1 request)", "submitted", "accepted"),
    ("accepted -> investigating (events)", "accepted", "verified"),
    ("investigate and propose (township, 2 requests)", "verified", "proposed"),
    ("publicity over -> confirmation (job tick)", "proposed", "confirmation"),
    ("confirm (county, 1 request)", "confirmation", "decided"),
)


class Failed(Exception):
    """An application that could not finish its path: a non-2xx reply or a wait that ran out."""


# --- people, applications


_ACCOUNTS = itertools.count(1)


def application_body(ids: IdentityNumbers, village: str) -> dict[str, Any]:
    """A complete three-member dibao application (income 9,600 a year: below the 700.00 standard, so approvable)."""
    head, spouse, child = (ids.issue(born) for born in BORN)
    members = [
        member(head, "王建国"),
        member(spouse, "李秀英", "spouse"),
        member(child, "王小明", "child", labour_capacity="none", employment="student"),
    ]
    body = intake_application_body(village, members=members)
    # Each household its own account, as in a county: one account behind every household would make each ledger
    # event re-read and rewrite that account's warning, all of them queued on one row lock.
    body["bank_account"]["account_no"] = f"62220200{next(_ACCOUNTS):011d}"
    return body


def investigation_body(today: date) -> dict[str, Any]:
    return {
        "investigators": [{"user": "inv-1", "name": "调查员甲"}, {"user": "inv-2", "name": "调查员乙"}],
        "visited_on": today.isoformat(),
        "findings": "入户核实，家庭成员与申报一致",
        "neighbour_visits": "走访邻居两户",
    }


@dataclass
class Team:
    """One lane's staff: a village assistant, the officer of the village's township, an officer of its county."""

    village: str
    assistant: dict[str, str]  # request headers carrying the bearer token
    township: dict[str, str]
    county: dict[str, str]


async def _token(http: aiohttp.ClientSession, username: str, password: str) -> dict[str, str]:
    form = {"grant_type": "password", "username": username, "password": password}
    async with http.post("/api/v1/auth/token", data=form) as reply:
        assert reply.status == 200, await reply.text()
        return {"Authorization": f"Bearer {(await reply.json())['access_token']}"}


async def new_teams(base: str, lanes: int) -> list[Team]:
    """One township per lane, four townships to a county (cities 1495–1499 of province 14, which do not exist), each
    county with its local standards; three staff users per lane, signed in."""
    teams = []
    async with aiohttp.ClientSession(base) as http:
        admin = await _token(http, "admin", ADMIN_PASSWORD)

        async def user(username: str, role: str, region: str) -> dict[str, str]:
            # The password policy refuses one that contains the username.
            password = f"bench-pw-{hashlib.sha256(username.encode()).hexdigest()[:12]}"
            body = {"username": username, "password": password, "display_name": f"经办人 {username}",
                    "roles": [role], "region_code": region}  # fmt: skip
            async with http.post("/api/v1/admin/users", json=body, headers=admin) as reply:
                assert reply.status == 201, await reply.text()
            return await _token(http, username, password)

        counties: dict[str, dict[str, str]] = {}
        for lane in range(lanes):
            county = f"1495{lane // 4 + 1:02d}"
            township, village = f"{county}{lane % 4 + 1:03d}", f"{county}{lane % 4 + 1:03d}001"
            if county not in counties:
                counties[county] = await user(f"bench.county.{county}", "county_officer", county)
                standards = {
                    "region_prefix": county,
                    "effective_from": "2026-01-01",
                    "figures": FIGURES,
                    # The demo county's figures: the proposal calculates the amount from them.
                }
                async with http.post("/api/v1/casework/standards", json=standards, headers=counties[county]) as reply:
                    assert reply.status == 201, await reply.text()
            teams.append(
                Team(
                    village,
                    await user(f"bench.village.{village}", "village_assistant", village),
                    await user(f"bench.township.{township}", "township_officer", township),
                    counties[county],
                )
            )
    return teams


# --- waiting for what happens over the broker


class CaseWatch:
    """Where the lanes wait for a case to reach a status: one query for every waiting lane each `WATCH_INTERVAL`."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool
        self.waiting: dict[str, list[tuple[int, asyncio.Future[str]]]] = defaultdict(list)

    async def reached(self, application_id: str, status: str, timeout: float = WAIT_TIMEOUT) -> str:
        """The case id, once the application's case has reached `status` (or gone past it)."""
        future: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        self.waiting[application_id].append((STATUS_ORDER.index(status), future))
        try:
            return await asyncio.wait_for(future, timeout)
        except TimeoutError:
            raise Failed(f"wait for {status}") from None

    async def run(self) -> None:
        query = "SELECT application_id, id, status FROM casework.cases WHERE application_id = ANY($1::text[])"
        while True:
            await asyncio.sleep(WATCH_INTERVAL)
            if not self.waiting:
                continue
            for application_id, case_id, status in await self.pool.fetch(query, list(self.waiting)):
                rank = STATUS_ORDER.index(status) if status in STATUS_ORDER else -1
                waits = self.waiting.get(application_id, [])
                for wanted, future in [w for w in waits if w[0] <= rank]:
                    waits.remove((wanted, future))
                    if not future.done():
                        future.set_result(case_id)
                if not waits:
                    self.waiting.pop(application_id, None)


# --- the lanes


@dataclass
class Batch:
    marks: list[dict[str, float]] = field(default_factory=list)  # per decided application: mark → perf_counter
    errors: Counter[str] = field(default_factory=Counter)
    requests: int = 0
    seconds: float = 0.0


class Lanes:
    def __init__(self, base: str, teams: list[Team], watch: CaseWatch, pool: asyncpg.Pool) -> None:
        self.base = base
        self.teams = teams
        self.watch = watch
        self.pool = pool
        self.ids = IdentityNumbers()

    async def run(self, applications: int) -> Batch:
        batch = Batch()
        budget = iter(range(applications))
        connector = aiohttp.TCPConnector(limit=len(self.teams) * 2)
        async with aiohttp.ClientSession(self.base, connector=connector) as http:

            async def lane(team: Team) -> None:
                while next(budget, None) is not None:
                    try:
                        batch.marks.append(await self.one(http, team, batch))
                    except Failed as failure:
                        batch.errors[str(failure)] += 1

            started = time.perf_counter()
            await asyncio.gather(*(lane(team) for team in self.teams))
            batch.seconds = time.perf_counter() - started
        return batch

    async def one(self, http: aiohttp.ClientSession, team: Team, batch: Batch) -> dict[str, float]:
        marks = {"filed": time.perf_counter()}

        async def post(step: str, path: str, headers: dict[str, str], body: dict[str, Any] | None = None) -> Any:
            batch.requests += 1
            async with http.post(path, json=body, headers=headers) as reply:
                payload = await reply.read()
                if not 200 <= reply.status < 300:
                    # Scrubbed: a problem body can quote what was sent (identity numbers, the account).
                    raise Failed(f"{step} {reply.status} {scrub(payload.decode(errors='replace'))[:160]}")
            return orjson.loads(payload)

        created = await post("create", APPLICATIONS, team.assistant, application_body(self.ids, team.village))
        application = f"{APPLICATIONS}/{created['application_id']}"
        marks["submitted"] = time.perf_counter()
        await post("submit", f"{application}/submit", team.assistant)
        await post("accept", f"{application}/accept", team.township)
        marks["accepted"] = time.perf_counter()
        case_id = await self.watch.reached(created["application_id"], "investigating")
        marks["verified"] = time.perf_counter()
        case = f"{CASES}/{case_id}"
        today = china_today()
        await post("investigate", f"{case}/investigations", team.township, investigation_body(today))
        await post("propose", f"{case}/proposal", team.township, PROPOSAL)
        marks["proposed"] = time.perf_counter()
        await self.let_publicity_pass(case_id, today)
        await self.watch.reached(created["application_id"], "confirmation")
        marks["confirmation"] = time.perf_counter()
        decided = await post("confirm", f"{case}/decision", team.county, {"decision": "confirm"})
        marks["decided"] = time.perf_counter()
        if decided["status"] != "decided" or not decided["household_id"]:
            raise Failed("confirm did not decide")
        return marks

    async def let_publicity_pass(self, case_id: str, today: date) -> None:
        """The days of publicity, gone by: the posting ended yesterday, as the worker's job will find it."""
        # The posting keeps its length: both dates move back until it ended yesterday (as tests/e2e's journey does).
        updated = await self.pool.execute(
            """
            UPDATE casework.cases
               SET publicity_started_on = publicity_started_on - (publicity_ends_on - $2::date + 1),
                   publicity_ends_on = $2::date - 1
             WHERE id = $1 AND status = 'publicity' AND publicity_ends_on >= $2::date
            """,
            case_id,
            today,
        )
        if updated != "UPDATE 1":
            raise Failed("case not in publicity after the proposal")


# --- events between services


@dataclass
class Hop:
    """One (producer, event type, consumer): per event handled, milliseconds between the moments of its path."""

    handled_ms: list[float] = field(default_factory=list)  # producer's commit → the consumer's commit
    producer_ms: list[float] = field(default_factory=list)  # the producer's transaction, its start → its commit
    to_relay_ms: list[float] = field(default_factory=list)  # producer's commit → the relay's transaction began
    relay_ms: list[float] = field(default_factory=list)  # the relay's transaction: select, send (acks=all), mark sent
    relay_to_consumer_ms: list[float] = field(default_factory=list)  # relay began → the consumer's transaction began
    handler_ms: list[float] = field(default_factory=list)  # the consumer's transaction, begin → commit


async def settled(pool: asyncpg.Pool, timeout: float = 120) -> None:
    """Every outbox published and no inbox growing for two seconds: the batch's last events have been handled."""
    # The schemas are the constant SERVICES; nothing from outside reaches these statements.
    unsent = " + ".join(f"(SELECT count(*) FROM {s}.outbox WHERE sent_at IS NULL)" for s in SERVICES)  # noqa: S608
    handled = " + ".join(f"(SELECT count(*) FROM {s}.inbox)" for s in SERVICES)  # noqa: S608
    deadline, last, still_since = time.monotonic() + timeout, -1, time.monotonic()
    while time.monotonic() < deadline:
        left, seen = await pool.fetchval(f"SELECT {unsent}"), await pool.fetchval(f"SELECT {handled}")
        if seen != last or left:
            last, still_since = seen, time.monotonic()
        elif time.monotonic() - still_since >= 2:
            return
        await asyncio.sleep(0.2)
    raise TimeoutError("the system did not settle after the batch")


# The producer's commit from the transaction id the benchmark's trigger noted (bench/system_stack.py); the relay's
# commit from the row's own xmin, since marking the row sent is the relay's last write, after the broker's acks.
PRODUCED = """
SELECT o.event_id::text, o.topic, o.created_at, pg_xact_commit_timestamp(x.xact) AS committed_at, o.sent_at,
       pg_xact_commit_timestamp(o.xmin) AS published_at
  FROM {schema}.outbox o JOIN bench.outbox_xact x USING (event_id)
 WHERE o.created_at >= $1
"""
# The inbox row is the handler's first write: its transaction's start and commit frame the handling.
HANDLED = """
SELECT event_id, consumer, received_at, pg_xact_commit_timestamp(xmin) AS handled_at
  FROM {schema}.inbox WHERE received_at >= $1
"""


@dataclass(frozen=True)
class Produced:
    service: str
    event_type: str
    created_at: datetime
    committed_at: datetime
    sent_at: datetime
    published_at: datetime


@dataclass
class Consumer:
    """One consumer group (a service's worker, its lanes side by side): how busy its handlers kept it."""

    handled: int
    window_s: float  # its first handling transaction's start → its last one's commit
    busy: float  # handling transactions' time over the window (over 1 when lanes overlap)
    gap_ms: list[float]  # from one handler's commit to the next one's start, when the next event was in the broker


@dataclass
class Events:
    hops: dict[str, Hop]
    consumers: dict[str, Consumer]


async def events(pool: asyncpg.Pool, since: datetime, topic_prefix: str) -> Events:
    """Each (producer, event type, consumer) of the events produced since `since`, with their latencies."""
    produced: dict[str, Produced] = {}
    for service in SERVICES:
        for r in await pool.fetch(PRODUCED.format(schema=service), since):
            event_type = r["topic"].removeprefix(topic_prefix)
            times = (r["created_at"], r["committed_at"], r["sent_at"], r["published_at"])
            produced[r["event_id"]] = Produced(service, event_type, *times)
    found: dict[str, Hop] = defaultdict(Hop)
    # per consumer: (handling began, handling committed, in the broker: the relay's commit) of each event
    frames: dict[str, list[tuple[datetime, datetime, datetime]]] = defaultdict(list)
    for service in SERVICES:
        for r in await pool.fetch(HANDLED.format(schema=service), since):
            event = produced.get(r["event_id"])
            if event is None:  # the diagnostics' probes, or events of the warm-up
                continue
            hop = found[f"{event.service} {event.event_type} -> {service} ({r['consumer']})"]
            hop.handled_ms.append(_between(event.committed_at, r["handled_at"]))
            hop.producer_ms.append(_between(event.created_at, event.committed_at))
            hop.to_relay_ms.append(_between(event.committed_at, event.sent_at))
            hop.relay_ms.append(_between(event.sent_at, event.published_at))
            hop.relay_to_consumer_ms.append(_between(event.sent_at, r["received_at"]))
            hop.handler_ms.append(_between(r["received_at"], r["handled_at"]))
            frames[f"{service} ({r['consumer']})"].append((r["received_at"], r["handled_at"], event.published_at))
    return Events(dict(found), {name: _consumer(f) for name, f in frames.items()})


def _consumer(frames: list[tuple[datetime, datetime, datetime]]) -> Consumer:
    frames.sort()
    window = _between(frames[0][0], frames[-1][1]) / 1000
    busy = sum(_between(began, done) for began, done, _ in frames) / 1000
    # An event in the broker before the previous handler committed was waiting: the gap is the consumer's own
    # overhead between messages (offset commits, fetches, deserialising, the worker's other tasks).
    gaps = [
        _between(previous[1], began)
        for previous, (began, _, published) in itertools.pairwise(frames)
        if published < previous[1]
    ]
    return Consumer(len(frames), window, busy / window if window else 0.0, gaps)


def _between(earlier: datetime, later: datetime) -> float:
    return (later - earlier).total_seconds() * 1000


# --- CPU


def cpu_seconds() -> Counter[str]:
    return support_cpu_seconds("bench (staff client)", lambda cmdline: process_kind(cmdline, SERVICES))


# --- the run


@dataclass
class Run:
    batch: Batch
    events: Events
    cpu: Counter[str]
    load_before: tuple[float, float, float]
    load_after: tuple[float, float, float]
    settle_seconds: float
    # Connections the database accepted during the batch (every process's, the benchmark's own pool included): a
    # connection pool that closes and reopens shows here.
    sessions: int


async def measure(system_url: str, database_url: str, topic_prefix: str, applications: int, lanes: int) -> Run:
    pool = await asyncpg.create_pool(database_url, min_size=2, max_size=4)
    assert pool is not None
    watch = CaseWatch(pool)
    watching = asyncio.create_task(watch.run())
    try:
        teams = await new_teams(system_url, lanes)
        load = Lanes(system_url, teams, watch, pool)
        # Warm-up, not counted: every lane once through the whole path (connections, consumer groups, caches).
        warm = await load.run(len(teams))
        assert not warm.errors, f"warm-up failed: {dict(warm.errors)}"
        await settled(pool)
        since: datetime = await pool.fetchval("SELECT now()")
        load_before, cpu_before, sessions_before = os.getloadavg(), cpu_seconds(), await sessions(pool)
        batch = await load.run(applications)
        cpu = cpu_seconds()
        cpu.subtract(cpu_before)
        opened = await sessions(pool) - sessions_before
        load_after = os.getloadavg()
        settle_started = time.perf_counter()
        await settled(pool)
        settle_seconds = time.perf_counter() - settle_started
        return Run(batch, await events(pool, since, topic_prefix), cpu, load_before, load_after, settle_seconds, opened)
    finally:
        watching.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await watching
        await pool.close()


async def sessions(pool: asyncpg.Pool) -> int:
    return int(await pool.fetchval("SELECT sessions FROM pg_stat_database WHERE datname = current_database()"))


def run(applications: int, lanes: int) -> Run:
    logs = Path(tempfile.mkdtemp(prefix="jiuzhu-bench-system-"))
    service_env = {"CASEWORK_JOBS_INTERVAL_SECONDS": str(PUBLICITY_TICK)}
    with whole_system(logs, service_env) as system:
        database_url = system.stack.database_url
        return asyncio.run(measure(system.gateway_url, database_url, system.stack.topic_prefix, applications, lanes))


# --- report


def _ms(values: Sequence[float]) -> str:
    return f"p50 {percentile(values, 50):8.1f}  p95 {percentile(values, 95):8.1f}  max {max(values):8.1f} ms"


def report(measured: Run, applications: int, lanes: int) -> None:
    batch = measured.batch
    decided = len(batch.marks)
    print(f"machine: {machine()}")
    print(f"load average (1, 5, 15 min) before the batch: {', '.join(f'{x:.2f}' for x in measured.load_before)}; "
          f"after: {', '.join(f'{x:.2f}' for x in measured.load_after)}")  # fmt: skip
    print(
        f"{applications} applications, {lanes} lanes (one application at a time each, {len(batch.marks)} decided), "
        f"publicity job every {PUBLICITY_TICK:.1f} s"
    )
    print(
        f"whole batch: {batch.seconds:.1f} s wall clock = {decided / batch.seconds * 60:.0f} applications/min "
        f"submitted -> decided ({batch.requests} requests through the gateway = {batch.requests / batch.seconds:.1f}"
        " req/s)"
    )
    errors = ", ".join(f"{k}: {v}" for k, v in sorted(batch.errors.items())) or "none"
    print(f"errors: {sum(batch.errors.values())} ({errors})")
    if not batch.marks:
        return
    whole = [(m["decided"] - m["submitted"]) * 1000 for m in batch.marks]
    print(f"per application, submit -> decision reply:     {_ms(whole)}")
    # The publicity stage is days in production: here it is the bench's own shortcut and the job tick.
    working = [(m["decided"] - m["submitted"] - (m["confirmation"] - m["proposed"])) * 1000 for m in batch.marks]
    print(f"  the same without the publicity stage:        {_ms(working)}")
    print("stages of one application (ms):")
    for name, start, end in STAGES:
        values = [(m[end] - m[start]) * 1000 for m in batch.marks]
        print(f"  {name:<48} {_ms(values)}  mean {statistics.fmean(values):8.1f}")
    print(f"events between services (n = events handled; the last were handled {measured.settle_seconds:.1f} s "
          "after the batch, waiting 2 s of quiet included):")  # fmt: skip
    print(
        f"  {'hop':<64} {'n':>4}  {'producer commit -> handled (consumer commit)':<45}"
        "  p50 of: producer tx | commit -> relay | relay tx | relay -> consumer | handler"
    )
    for name, hop in sorted(measured.events.hops.items(), key=lambda kv: -percentile(kv[1].handled_ms, 50)):
        parts = (hop.producer_ms, hop.to_relay_ms, hop.relay_ms, hop.relay_to_consumer_ms, hop.handler_ms)
        print(
            f"  {name:<64} {len(hop.handled_ms):>4}  {_ms(hop.handled_ms)}  "
            + " | ".join(f"{percentile(p, 50):6.1f}" for p in parts)
            + " ms"
        )
    print("consumers (lanes side by side): handled, busy in handlers (summed over lanes), gap while events waited")
    for name, c in sorted(measured.events.consumers.items(), key=lambda kv: -kv[1].busy):
        gaps = f"p50 {percentile(c.gap_ms, 50):6.1f}  p95 {percentile(c.gap_ms, 95):6.1f} ms" if c.gap_ms else "-"
        print(f"  {name:<30} {c.handled:>5} in {c.window_s:5.1f} s  busy {c.busy:4.0%}  gap {gaps} (n={len(c.gap_ms)})")
    per_app = ", ".join(f"{kind} {used * 1000 / decided:.1f}" for kind, used in measured.cpu.most_common())
    total = sum(measured.cpu.values())
    print(f"CPU ms per decided application: {per_app} (all: {total * 1000 / decided:.1f} ms; "
          f"{total / batch.seconds:.2f} cores busy on average)")  # fmt: skip
    print(f"database connections opened during the batch: {measured.sessions}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--applications", type=int, default=200, help="applications in the measured batch")
    parser.add_argument("--concurrency", type=int, default=24, help="lanes, each one application at a time")
    parser.add_argument("--quick", action="store_true", help="30 applications, 8 lanes, to check it works")
    args = parser.parse_args()
    os.environ.setdefault("JIUZHU_LOG_LEVEL", "WARNING")
    applications, lanes = (30, 8) if args.quick else (args.applications, args.concurrency)
    report(run(applications, lanes), applications, lanes)


if __name__ == "__main__":
    main()
