"""The access audit (`gateway.access_audit`): who called what, when, from where, with what outcome.

Recorded: subject, kind and region of the principal, method, path, status, routed service, request id, source address,
duration, and what the service said the request read or decided (`X-Jiuzhu-Audit`, libs.kernel.audit_note: "who
read which identity or account number, who decided what"). Never bodies or query strings: those carry identity
numbers, names and bank accounts (DOMAIN.md §11).

No row is ever lost:
- a request is served only once its row has a place: the middleware reserves one before the request runs, and a
  gateway whose audit cannot keep up (the database down for long) answers 503 instead of serving unaudited;
- every value is made storable when the row is made (NUL, unpaired surrogates, lengths), and a batch that fails for
  its data anyway is written row by row, a row that still fails in a plainer form, so one bad row never sinks the
  others (a path with NUL once made a whole batch, a bank-account reveal among it, be dropped);
- a batch that fails because the database is away is retried until it is written; rows still unwritten when the
  process stops go to the log as `audit.unwritten`, never nowhere.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import time
from dataclasses import dataclass, fields, replace
from datetime import UTC, datetime

import structlog
from prometheus_client import Counter, Gauge
from sqlalchemy import Float, Index, SmallInteger, String, insert
from sqlalchemy.orm import Mapped, mapped_column
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.db import Base
from libs.kernel.audit_note import AUDIT_NOTE_HEADER, parse_audit_note
from libs.kernel.auth import Principal
from libs.kernel.column_types import SerialKey
from libs.kernel.db import Database
from libs.kernel.errors import problem_response

_log = structlog.get_logger("audit")
AUDIT_ROWS = Counter("jiuzhu_gateway_audit_rows_total", "Access audit rows", ["outcome"])
AUDIT_PENDING = Gauge("jiuzhu_gateway_audit_pending_rows", "Access audit rows reserved or queued, not yet written")
_UNAUDITED = frozenset({"/healthz", "/readyz", "/metrics"})
_RETRY_DELAYS = (0.5, 1.0, 2.0, 5.0)
_MAX_PATH = 2048
_STOP_WAIT_SECONDS = 10.0


class AccessAudit(Base):
    __tablename__ = "access_audit"
    # Explicit index names: the naming convention's column label would also carry the schema name.
    __table_args__ = (
        Index("ix_access_audit_occurred_at", "occurred_at"),
        Index("ix_access_audit_request_id", "request_id"),
        Index("ix_access_audit_subject_occurred_at", "subject", "occurred_at"),
        Index("ix_access_audit_action_occurred_at", "action", "occurred_at"),
    )

    id: Mapped[SerialKey]
    occurred_at: Mapped[datetime]
    request_id: Mapped[str] = mapped_column(String(128))
    subject: Mapped[str | None] = mapped_column(String(128))
    principal_kind: Mapped[str | None] = mapped_column(String(16))
    # The principal's jurisdiction: who may read the row back (an administrator sees rows of principals inside theirs).
    principal_region: Mapped[str | None] = mapped_column(String(12))
    method: Mapped[str] = mapped_column(String(16))
    path: Mapped[str]
    status: Mapped[int] = mapped_column(SmallInteger)
    service: Mapped[str | None] = mapped_column(String(32))
    source_ip: Mapped[str | None] = mapped_column(String(64))
    duration_ms: Mapped[float] = mapped_column(Float)
    # What the service said the request did with personal data or a decision (libs.kernel.audit_note).
    action: Mapped[str | None] = mapped_column(String(64))
    target: Mapped[str | None] = mapped_column(String(128))


@dataclass(frozen=True)
class AccessRecord:
    occurred_at: datetime
    request_id: str
    subject: str | None
    principal_kind: str | None
    method: str
    path: str
    status: int
    service: str | None
    source_ip: str | None
    duration_ms: float
    principal_region: str | None = None
    action: str | None = None
    target: str | None = None


_RECORD_FIELDS = tuple(f.name for f in fields(AccessRecord))


def storable(text: str | None, limit: int) -> str | None:
    """`text` as PostgreSQL can store it: no NUL, no unpaired surrogate (undecodable bytes of a path), bounded."""
    if text is None:
        return None
    text = text.replace("\x00", "\\x00")
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text[:limit]


def _plainest(row: AccessRecord) -> AccessRecord:
    """The row in a form every database accepts, for one that failed even alone: ASCII only, the path escaped."""

    def ascii_only(text: str | None, limit: int) -> str | None:
        cleaned = storable(text, limit * 4)
        return None if cleaned is None else cleaned.encode("ascii", "backslashreplace").decode("ascii")[:limit]

    return replace(
        row,
        path=ascii_only(row.path, _MAX_PATH) or "",
        request_id=ascii_only(row.request_id, 128) or "",
        target=ascii_only(row.target, 128),
        action=ascii_only(row.action, 64),
    )


class AuditWriter:
    """Rows reserved (`reserve`), then queued (`record`), then written in batches by a background task."""

    def __init__(
        self,
        db: Database,
        *,
        batch_size: int,
        interval_seconds: float,
        queue_limit: int,
        reserve_timeout_seconds: float = 5.0,
    ) -> None:
        self._db = db
        self._batch_size = batch_size
        self._interval = interval_seconds
        self._reserve_timeout = reserve_timeout_seconds
        # A place per row from the request's start until the row is in the database: at most `queue_limit` at once.
        self._slots = asyncio.Semaphore(queue_limit)
        self._queue: collections.deque[AccessRecord] = collections.deque()
        self._has_rows = asyncio.Event()
        self._batch_ready = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None

    async def reserve(self) -> bool:
        """Hold a place for one row; False when none frees up in time (the request is then refused, not served)."""
        try:
            await asyncio.wait_for(self._slots.acquire(), self._reserve_timeout)
        except TimeoutError:
            AUDIT_ROWS.labels("refused").inc()
            return False
        AUDIT_PENDING.inc()
        return True

    def record(self, row: AccessRecord) -> None:
        """Queue a row whose place was reserved; never waits."""
        self._queue.append(row)
        self._has_rows.set()
        if len(self._queue) >= self._batch_size:
            self._batch_ready.set()

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="gateway-audit-writer")

    async def flush(self) -> None:
        """Write everything queued so far (shutdown, and tests that read the table)."""
        while batch := self._take(self._batch_size):
            await self._write(batch)

    async def stop(self) -> None:
        self._stopping = True
        self._has_rows.set()
        self._batch_ready.set()
        if self._task is not None:
            try:
                await self._task
            except Exception:
                _log.exception("audit.writer_crashed")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.flush(), _STOP_WAIT_SECONDS)
        # The database stayed away to the end: the rows go to the log, the other durable record of this process.
        while self._queue:
            row = self._queue.popleft()
            _log.error("audit.unwritten", **{name: str(getattr(row, name)) for name in _RECORD_FIELDS})
            AUDIT_ROWS.labels("logged").inc()

    async def _run(self) -> None:
        while not self._stopping:
            if not self._queue:
                self._has_rows.clear()
                await self._has_rows.wait()  # the first row of a batch (record), or stop()
                continue
            if len(self._queue) < self._batch_size:
                # The first row opened a batch; it closes after the flush interval or when full, whichever is first.
                self._batch_ready.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._batch_ready.wait(), self._interval)
            batch = self._take(self._batch_size)
            if batch:
                await self._write(batch)

    def _take(self, limit: int) -> list[AccessRecord]:
        rows: list[AccessRecord] = []
        while self._queue and len(rows) < limit:
            rows.append(self._queue.popleft())
        return rows

    async def _write(self, batch: list[AccessRecord]) -> None:
        """Write `batch`, however long it takes; the rows' places are given back once they are in the database."""
        attempt = 0
        while True:
            try:
                await self._insert(batch)
                break
            except Exception:
                if await self._database_answers():
                    # The database is there, so the rows themselves are the trouble: one at a time.
                    await self._insert_one_by_one(batch)
                    break
                delay = _RETRY_DELAYS[min(attempt, len(_RETRY_DELAYS) - 1)]
                _log.warning("audit.write_retried", rows=len(batch), in_seconds=delay)
                attempt += 1
                if self._stopping and attempt > len(_RETRY_DELAYS):
                    self._queue.extendleft(reversed(batch))  # stop() logs what is left
                    return
                await asyncio.sleep(delay)
        AUDIT_ROWS.labels("written").inc(len(batch))
        self._release(len(batch))

    async def _insert(self, rows: list[AccessRecord]) -> None:
        # A flat copy of each row's fields (`asdict` would deep-copy every value, datetimes included).
        values = [{name: getattr(row, name) for name in _RECORD_FIELDS} for row in rows]
        async with self._db.sessions.begin() as session:
            await session.execute(insert(AccessAudit), values)

    async def _insert_one_by_one(self, batch: list[AccessRecord]) -> None:
        for row in batch:
            try:
                await self._insert([row])
            except Exception as exc:
                # Not `exception()`: the error's text repeats the row's values.
                _log.warning("audit.row_rewritten", request_id=_plainest(row).request_id, error=type(exc).__name__)
                await self._insert([_plainest(row)])

    async def _database_answers(self) -> bool:
        try:
            await asyncio.wait_for(self._db.ping(), 5)
        except Exception:
            return False
        return True

    def _release(self, count: int) -> None:
        for _ in range(count):
            self._slots.release()
        AUDIT_PENDING.dec(count)


class AuditMiddleware:
    """Pure ASGI, inside RequestContextMiddleware (which set the request id): reserves the request's row before it
    runs, records it once the response ended, and takes the service's audit note off the response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        writer = getattr(getattr(scope.get("app"), "state", None), "audit", None)
        if scope["type"] != "http" or scope["path"] in _UNAUDITED or not isinstance(writer, AuditWriter):
            await self.app(scope, receive, send)
            return
        if not await writer.reserve():
            request_id = scope.get("state", {}).get("request_id")
            refusal = problem_response(
                503,
                code="audit_unavailable",
                detail="The access audit cannot be written at the moment; nothing was done, try again shortly",
                correlation_id=request_id if isinstance(request_id, str) else None,
                headers={"Retry-After": "5"},
            )
            await refusal(scope, receive, send)
            return
        status = 500
        note: tuple[str, str | None] | None = None
        started = time.perf_counter()
        occurred_at = datetime.now(UTC)

        async def send_and_note(message: Message) -> None:
            nonlocal status, note
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = []
                for name, value in message.get("headers", ()):
                    if name.lower() == AUDIT_NOTE_HEADER:
                        note = parse_audit_note(value.decode("latin-1"))
                    else:
                        headers.append((name, value))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        finally:
            writer.record(_row(scope, status, occurred_at, time.perf_counter() - started, note))


def _row(
    scope: Scope, status: int, occurred_at: datetime, elapsed: float, note: tuple[str, str | None] | None
) -> AccessRecord:
    state = scope.get("state") or {}
    principal = state.get("principal")
    known = principal if isinstance(principal, Principal) else None
    client = scope.get("client")
    return AccessRecord(
        occurred_at=occurred_at,
        request_id=storable(str(state.get("request_id", "")), 128) or "",
        subject=storable(known.subject, 128) if known else None,
        principal_kind=known.kind.value if known else None,
        principal_region=storable(known.region_prefix, 12) if known else None,
        method=storable(str(scope.get("method", "")), 16) or "",
        path=storable(scope["path"], _MAX_PATH) or "",  # the path alone: the query string never reaches the audit
        status=status,
        service=storable(state.get("route_service"), 32),
        source_ip=storable(client[0], 64) if client else None,
        duration_ms=round(elapsed * 1000, 2),
        action=storable(note[0], 64) if note else None,
        target=storable(note[1], 128) if note else None,
    )
