"""Complaints and the 12345 hotline (issue 7): work-order intake, the ledger lists and the result push, against a
ledger of 1,000,000 complaints.

The ledger is seeded straight into complaints' tables with set-based SQL (setup, not measured; see
`bench.complaints_data`). Then, with complaints' API app in process (httpx.ASGITransport, the internal header signed
as the gateway signs it): 2,000 work orders posted one after another and 2,000 more by 8 clients at once
(`POST /api/v1/hotline/work-orders`, CONTRACTS.md §2), a tenth from phones already in the ledger so they link as
repeats (DOMAIN.md §6); 50 reads each of one county's ledger list and overdue list; then 2,000 resolved work orders'
results queued (`register.results.enqueue`) and pushed by the worker's `ResultPush` (batch 100, 8 at once) to a local
platform over real HTTP that checks each signature and counts each delivery id.

    python -m bench.complaints_hotline [--complaints 1000000] [--orders 2000] [--quick] [--explain]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import itertools
import os
import socket
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import asyncpg
import httpx
import uvicorn
from sqlalchemy import event, select
from starlette.types import Receive, Scope, Send

from bench.complaints_data import HOTLINE_CLIENT, Seeded, county_code, known_phone, seed_ledger
from bench.support import bench_stack, machine, percentile
from libs.contracts.clock import CHINA_TZ
from libs.contracts.id_number import check_character
from libs.contracts.staff import Scope as AuthScope
from libs.contracts.staff import StaffRole
from libs.kernel.auth import INTERNAL_HEADER, InternalTokens, Principal, PrincipalKind
from libs.kernel.logging import configure_logging
from libs.kernel.service import create_service_app
from services.complaints.context import RESULT_CONTEXT, Complaints
from services.complaints.definition import DEFINITION as COMPLAINTS
from services.complaints.push.delivery import ResultPush
from services.complaints.push.signing import DELIVERY_HEADER, SIGNATURE_HEADER, signature, verify
from services.complaints.register.models import Complaint
from services.complaints.register.results import enqueue
from tests.complaints.support import work_order

PII_KEY = "bench-complaints-pii-key-0123456789abcdef"
PLATFORM_SECRET = "bench-platform-secret-0123456789"
WORK_ORDERS = "/api/v1/hotline/work-orders"
COMPLAINTS_PATH = "/api/v1/complaints"
COUNTIES = 200
_DUE = "SELECT count(*) FROM complaints.result_deliveries WHERE delivered_at IS NULL AND next_attempt_at <= now()"
KNOWN = 1000  # callers in the ledger that work orders call back as


@dataclass
class Measured:
    seeded: Seeded | None = None
    seed_s: float = 0.0
    figures: list[str] = field(default_factory=list)
    plan: str = ""

    def say(self, line: str) -> None:
        print(line, flush=True)
        self.figures.append(line)


def _principal(subject: str, kind: PrincipalKind, region: str, role: str = "", scope: str = "") -> Principal:
    return Principal(subject, kind, subject, region, frozenset({role} - {""}), frozenset({scope} - {""}), subject)


HOTLINE = _principal(HOTLINE_CLIENT, PrincipalKind.client, "14", scope=AuthScope.hotline.value)
ADMIN = _principal("u-bench-admin", PrincipalKind.staff, "", role=StaffRole.system_admin.value)


def _id_number(n: int) -> str:
    """Unique for each work order of the run (a thousand per birth date), so subjects do not link as repeats."""
    born = dt.date(1950, 1, 1) + dt.timedelta(days=n // 1000)
    first17 = f"140521{born:%Y%m%d}{n % 1000:03d}"
    return first17 + check_character(first17)


_SEQ = itertools.count(1)


class Orders:
    """Valid work orders (CONTRACTS.md §2), each in a village of one of the seeded counties; every `repeat_every`th
    from a phone already in the ledger."""

    def __init__(self, run: str, repeat_every: int = 10) -> None:
        self.run, self.repeat_every = run, repeat_every
        self.seq = _SEQ  # one sequence for every run, so no two work orders share a fresh phone or a subject
        self.known = itertools.cycle(range(KNOWN))

    def __iter__(self) -> Orders:
        return self

    def __next__(self) -> dict[str, Any]:
        n = next(self.seq)
        phone = known_phone(next(self.known)) if n % self.repeat_every == 0 else f"139{n:08d}"
        received = dt.datetime.now(CHINA_TZ) - dt.timedelta(minutes=5)
        village = f"{county_code(n % COUNTIES)}{1 + n % 10:03d}{1 + n % 7:03d}"
        return work_order(
            village,
            work_order_no=f"BW{self.run}{n:07d}",
            received_at=received.isoformat(),
            caller={"name": "李四", "phone": phone, "id_number": None, "anonymous": False},
            subject={"name": "王五", "id_number": _id_number(n), "address": "某村3组"},
            due_at=(received + dt.timedelta(days=7)).isoformat(),
            raw={"platform_field": "原始字段", "seq": n},
        )


async def post_orders(
    http: httpx.AsyncClient, auth: dict[str, str], orders: Iterator[dict[str, Any]], count: int, clients: int
) -> tuple[float, list[float], list[str]]:
    """(seconds, latencies in ms, complaint ids) of `count` work orders posted by `clients` clients at once."""
    latencies: list[float] = []
    ids: list[str] = []
    left = itertools.islice(orders, count)

    async def client() -> None:
        for body in left:
            t0 = time.perf_counter()
            reply = await http.post(WORK_ORDERS, json=body, headers=auth)
            latencies.append((time.perf_counter() - t0) * 1000)
            if reply.status_code != 201:
                raise RuntimeError(f"work order answered {reply.status_code}: {reply.text[:500]}")
            ids.append(reply.json()["complaint_id"])

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    return time.perf_counter() - started, latencies, ids


def _dist(ms: list[float]) -> str:
    return " ".join(f"p{p}={percentile(ms, p):.1f} ms" for p in (50, 95, 99))


class Platform:
    """The 12345 platform's callback: checks the signature, counts each delivery id, answers 200."""

    def __init__(self) -> None:
        self.seen: Counter[str] = Counter()
        self.bad_signatures = 0
        self.references = 0  # the plain POSTs of the reference
        self.url = ""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        body, more = b"", True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        if not verify(PLATFORM_SECRET, body, headers.get(SIGNATURE_HEADER.lower(), "")):
            self.bad_signatures += 1
            await _answer(send, 401)
            return
        delivery = headers[DELIVERY_HEADER.lower()]
        if delivery.startswith("ref-"):
            self.references += 1
        else:
            self.seen[delivery] += 1
        await _answer(send, 200)


async def _answer(send: Send, status: int) -> None:
    body = b'{"ok": true}'
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def push(m: Measured, app: Any, ctx: Complaints, conn: asyncpg.Connection, ids: list[str]) -> None:
    """Resolve `ids` (set-based), queue each result as `handling.resolve` does, push until nothing is due."""
    await conn.execute(
        "UPDATE complaints.complaints SET status = 'resolved', finding = 'unsubstantiated',"
        " reply = '经核查，反映情况不属实。', handled_at = now(), handled_by = 'bench' WHERE id = ANY($1::text[])",
        ids,
    )
    started = time.perf_counter()
    async with app.state.db.sessions.begin() as session:
        for item in (await session.scalars(select(Complaint).where(Complaint.id.in_(ids)))).all():
            await enqueue(session, ctx, item)
    m.say(f"  enqueue {len(ids):,} results (one transaction): {time.perf_counter() - started:.2f} s")
    platform = Platform()
    # IPPROTO_TCP named: asyncio sets TCP_NODELAY only on accepted sockets whose proto is TCP, and a socket made with
    # proto 0 leaves Nagle on; uvicorn writes an answer's head and body apart, so each answer would then wait ~40 ms
    # for the client's delayed ACK (a platform artefact, 8 at once capping the push at ~180/s).
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(256)
    platform.url = f"http://127.0.0.1:{sock.getsockname()[1]}/12345/results"
    server = uvicorn.Server(uvicorn.Config(platform, lifespan="off", log_config=None, access_log=False))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    job = ResultPush(ctx)
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://complaints") as http:
            body = {"callback_url": platform.url, "client_secret": PLATFORM_SECRET}
            reply = await http.put(
                f"{COMPLAINTS_PATH}/hotline-platforms/{HOTLINE_CLIENT}", json=body, headers=_auth(app, ADMIN)
            )
            reply.raise_for_status()
        runs, started = 0, time.perf_counter()
        while await conn.fetchval(_DUE):
            async with app.state.db.sessions.begin() as session:
                await job(session)
            runs += 1
        seconds = time.perf_counter() - started
        sample = await conn.fetchval("SELECT body_sealed FROM complaints.result_deliveries LIMIT 1")
        result = ctx.open(sample, RESULT_CONTEXT)
        reference = await plain_posts(platform, result, len(ids), ctx.settings.push_concurrency)
    finally:
        await job.aclose()
        server.should_exit = True
        await task
        sock.close()
    s = ctx.settings
    m.say(
        f"  push {len(ids):,} deliveries (batch {s.push_batch_size}, concurrency {s.push_concurrency}, {runs} runs): "
        f"{seconds:.2f} s, {len(ids) / seconds:,.0f} deliveries/s"
    )
    delivered = await conn.fetchval("SELECT count(*) FROM complaints.result_deliveries WHERE delivered_at IS NOT NULL")
    once = sum(1 for c in platform.seen.values() if c == 1)
    m.say(
        f"  platform received {sum(platform.seen.values()):,} requests, {len(platform.seen):,} distinct deliveries, "
        f"{once:,} exactly once, {platform.bad_signatures} bad signatures; ledger marks {delivered:,} delivered"
    )
    m.say(
        f"  reference: the same number of signed POSTs of one result's {len(result):,} bytes, "
        f"{ctx.settings.push_concurrency} at once, one httpx client, no database: {reference:.2f} s, "
        f"{len(ids) / reference:,.0f} requests/s"
    )
    if once != len(ids) or len(platform.seen) != len(ids) or platform.bad_signatures or delivered != len(ids):
        raise RuntimeError("the push did not deliver every result exactly once")


async def plain_posts(platform: Platform, body: bytes, count: int, concurrency: int) -> float:
    """The HTTP part of the push alone (client and platform in this process, as in the push): seconds for `count`."""
    headers = {"Content-Type": "application/json", SIGNATURE_HEADER: signature(PLATFORM_SECRET, body)}
    numbers = iter(range(count))
    async with httpx.AsyncClient(timeout=10) as http:

        async def client() -> None:
            for n in numbers:
                reply = await http.post(platform.url, content=body, headers={**headers, DELIVERY_HEADER: f"ref-{n}"})
                reply.raise_for_status()

        started = time.perf_counter()
        await asyncio.gather(*(client() for _ in range(concurrency)))
        return time.perf_counter() - started


def _auth(app: Any, who: Principal) -> dict[str, str]:
    return {INTERNAL_HEADER: app.state.tokens.sign(who)}


async def lists(m: Measured, http: httpx.AsyncClient, app: Any, county: str, calls: int = 50) -> None:
    officer = _auth(app, _principal("u-bench-county", PrincipalKind.staff, county, role=StaffRole.county_officer.value))
    for label, path in (("ledger list", COMPLAINTS_PATH), ("overdue list", f"{COMPLAINTS_PATH}/overdue")):
        ms, items = [], 0
        for _ in range(calls):
            t0 = time.perf_counter()
            reply = await http.get(path, params={"region_code": county, "limit": "100"}, headers=officer)
            ms.append((time.perf_counter() - t0) * 1000)
            reply.raise_for_status()
            items = len(reply.json()["items"])
        m.say(f"  {label} of county {county} (limit 100, {items} items): {_dist(ms)} over {calls} calls")


async def explain_plans(m: Measured, app: Any, http: httpx.AsyncClient, conn: asyncpg.Connection, county: str) -> None:
    """`--explain`: the repeat look-up (repeats.earlier_item) and the two lists' statements, captured as SQLAlchemy
    sends them during one repeat work order and one call of each list, then run again under EXPLAIN ANALYZE."""
    officer = _auth(app, _principal("u-bench-county", PrincipalKind.staff, county, role=StaffRole.county_officer.value))
    params = {"region_code": county, "limit": "100"}
    cases: list[tuple[str, str, Callable[[], Awaitable[object]]]] = [
        ("the repeat look-up (repeats.earlier_item)", "same_caller",
         lambda: post_orders(http, _auth(app, HOTLINE), Orders("X", repeat_every=1), 1, 1)),
        ("the ledger list", "received_at DESC, complaints.complaints.id DESC",
         lambda: http.get(COMPLAINTS_PATH, params=params, headers=officer)),
        ("the overdue list", "due_at, complaints.complaints.id",
         lambda: http.get(f"{COMPLAINTS_PATH}/overdue", params=params, headers=officer)),
    ]  # fmt: skip
    engine = app.state.db.engine.sync_engine
    for label, marker, action in cases:
        captured: list[tuple[str, Any]] = []

        def grab(_c: Any, _cur: Any, statement: str, parameters: Any, _ctx: Any, _many: bool,
                 marker: str = marker, captured: list[tuple[str, Any]] = captured) -> None:  # fmt: skip
            if marker in statement:
                captured.append((statement, parameters))

        event.listen(engine, "before_cursor_execute", grab)
        try:
            await action()
        finally:
            event.remove(engine, "before_cursor_execute", grab)
        statement, parameters = captured[0]
        args = list(parameters.values()) if isinstance(parameters, dict) else list(parameters)
        plan = "\n".join(r[0] for r in await conn.fetch(f"EXPLAIN (ANALYZE, BUFFERS) {statement}", *args))
        m.plan += f"{label}:\n{plan}\n\n"
        print(f"EXPLAIN (ANALYZE, BUFFERS) of {label}:\n{statement}\nparameters: {args}\n{plan}\n", flush=True)


async def run(complaints: int, orders: int, *, explain: bool) -> Measured:
    os.environ["JIUZHU_PII_KEY"] = PII_KEY  # the seeded hashes are the app's own keyed hashes
    # As the service's CLI does (the other benchmarks' processes log at WARNING): a line per request costs time here.
    configure_logging(COMPLAINTS.name, "WARNING")
    m = Measured()
    with bench_stack("services.complaints") as (stack, _env):
        settings = COMPLAINTS.settings().with_overrides(role="api")
        app = create_service_app(COMPLAINTS, settings)
        app.state.tokens = InternalTokens(settings.internal_token_secret.get_secret_value())
        conn = await asyncpg.connect(stack.database_url)
        try:
            async with app.router.lifespan_context(app):
                ctx = app.state.runtime.context
                assert isinstance(ctx, Complaints)
                m.say(f"machine: {machine()}; load average now {os.getloadavg()[0]:.2f}")
                started = time.perf_counter()
                now = dt.datetime.now(dt.UTC)
                m.seeded = await seed_ledger(conn, ctx.vault, rows=complaints, counties=COUNTIES, known=KNOWN, now=now)
                m.seed_s = time.perf_counter() - started
                s = m.seeded
                size = await conn.fetchval("SELECT pg_size_pretty(pg_total_relation_size('complaints.complaints'))")
                m.say(
                    f"seed: {s.complaints:,} complaints ({size} with indexes), {s.status_changes:,} status changes, "
                    f"{s.counties} counties, {s.known_phones:,} known callers; {m.seed_s:.1f} s with ANALYZE"
                )
                await intake_and_lists(m, app, ctx, conn, orders, explain=explain)
        finally:
            await conn.close()
    return m


async def intake_and_lists(
    m: Measured, app: Any, ctx: Complaints, conn: asyncpg.Connection, orders: int, *, explain: bool
) -> None:
    hotline = _auth(app, HOTLINE)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://complaints", timeout=60) as http:
        await post_orders(http, hotline, Orders("W"), 20, 1)  # warm-up: connections, caches
        m.say("work orders (POST /api/v1/hotline/work-orders, in process):")
        all_ids: list[str] = []
        for label, run, clients in (("sequential", "S", 1), ("8 concurrent clients", "C", 8)):
            seconds, ms, ids = await post_orders(http, hotline, Orders(run), orders, clients)
            all_ids += ids
            repeats = dict(
                await conn.fetch(
                    "SELECT repeat_reason, count(*) FROM complaints.complaints WHERE id = ANY($1::text[])"
                    " AND repeat_of IS NOT NULL GROUP BY 1",
                    ids,
                )
            )
            m.say(
                f"  {label}: {orders:,} in {seconds:.2f} s, {orders / seconds:,.0f} work orders/s; {_dist(ms)}; "
                f"linked as repeats: {repeats}"
            )
        await conn.execute("ANALYZE complaints.complaints")
        m.say("lists (GET, county officer):")
        await lists(m, http, app, county_code(7))
        if explain:
            await explain_plans(m, app, http, conn, county_code(7))
    m.say("result push (ResultPush to a local uvicorn platform over HTTP):")
    await push(m, app, ctx, conn, all_ids[:orders])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--complaints", type=int, default=1_000_000, help="complaints in the seeded ledger")
    parser.add_argument("--orders", type=int, default=2_000, help="work orders per intake run, and results pushed")
    parser.add_argument("--quick", action="store_true", help="50,000 complaints and 300 work orders")
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE of the repeat look-up")
    args = parser.parse_args()
    complaints, orders = (50_000, 300) if args.quick else (args.complaints, args.orders)
    os.environ.setdefault("JIUZHU_LOG_LEVEL", "WARNING")
    asyncio.run(run(complaints, orders, explain=args.explain))


if __name__ == "__main__":
    main()
