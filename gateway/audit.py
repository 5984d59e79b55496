"""The access audit (`gateway.access_audit`): who called what, when, from where, with what outcome.

Recorded: subject and kind, method, path, status, routed service, request id, source address, duration. Never
bodies or query strings: those carry identity numbers, names and bank accounts (DOMAIN.md §11). Rows are queued
and written in batches by a background task, so a request never waits on an audit INSERT; the queue is flushed on
shutdown. A full queue (the database down for long) drops rows with an error log rather than stalling traffic.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass, fields
from datetime import UTC, datetime

import structlog
from prometheus_client import Counter
from sqlalchemy import BigInteger, DateTime, Float, Index, SmallInteger, String, Text, insert
from sqlalchemy.orm import Mapped, mapped_column
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.db import Base
from libs.kernel.auth import Principal
from libs.kernel.db import Database

_log = structlog.get_logger("audit")
AUDIT_ROWS = Counter("jiuzhu_gateway_audit_rows_total", "Access audit rows", ["outcome"])
_UNAUDITED = frozenset({"/healthz", "/readyz", "/metrics"})
_RETRY_DELAYS = (0.5, 1.0, 2.0)


class AccessAudit(Base):
    __tablename__ = "access_audit"
    # Explicit index names: the naming convention's column label would also carry the schema name.
    __table_args__ = (
        Index("ix_access_audit_occurred_at", "occurred_at"),
        Index("ix_access_audit_request_id", "request_id"),
        Index("ix_access_audit_subject_occurred_at", "subject", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    request_id: Mapped[str] = mapped_column(String(128))
    subject: Mapped[str | None] = mapped_column(String(128))
    principal_kind: Mapped[str | None] = mapped_column(String(16))
    method: Mapped[str] = mapped_column(String(16))
    path: Mapped[str] = mapped_column(Text)
    status: Mapped[int] = mapped_column(SmallInteger)
    service: Mapped[str | None] = mapped_column(String(32))
    source_ip: Mapped[str | None] = mapped_column(String(64))
    duration_ms: Mapped[float] = mapped_column(Float)


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


_RECORD_FIELDS = tuple(f.name for f in fields(AccessRecord))


class AuditWriter:
    def __init__(self, db: Database, *, batch_size: int, interval_seconds: float, queue_limit: int) -> None:
        self._db = db
        self._batch_size = batch_size
        self._interval = interval_seconds
        self._queue: asyncio.Queue[AccessRecord] = asyncio.Queue(maxsize=queue_limit)
        self._batch_ready = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None

    def record(self, row: AccessRecord) -> None:
        """Queue a row; never waits."""
        try:
            self._queue.put_nowait(row)
        except asyncio.QueueFull:
            AUDIT_ROWS.labels("dropped").inc()
            _log.error("audit.row_dropped", reason="queue_full", request_id=row.request_id)
            return
        if self._queue.qsize() >= self._batch_size:
            self._batch_ready.set()

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="gateway-audit-writer")

    async def flush(self) -> None:
        """Write everything queued so far (shutdown, and tests that read the table)."""
        while batch := self._take(self._batch_size):
            await self._write(batch)

    async def stop(self) -> None:
        self._stopping = True
        self._batch_ready.set()
        if self._task is not None:
            try:
                await self._task
            except Exception:
                _log.exception("audit.writer_crashed")
        await self.flush()

    async def _run(self) -> None:
        while not self._stopping:
            # The first row opens a batch; it closes after the flush interval or when full, whichever is first.
            get = asyncio.ensure_future(self._queue.get())
            ready = asyncio.ensure_future(self._batch_ready.wait())
            await asyncio.wait({get, ready}, return_when=asyncio.FIRST_COMPLETED)
            ready.cancel()
            batch: list[AccessRecord] = []
            if get.done():
                batch.append(get.result())
            else:
                get.cancel()
            if not self._stopping and len(batch) < self._batch_size:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._batch_ready.wait(), self._interval)
            self._batch_ready.clear()
            batch += self._take(self._batch_size - len(batch))
            if batch:
                await self._write(batch)

    def _take(self, limit: int) -> list[AccessRecord]:
        rows: list[AccessRecord] = []
        while len(rows) < limit:
            try:
                rows.append(self._queue.get_nowait())
            except asyncio.QueueEmpty:
                break
        return rows

    async def _write(self, batch: list[AccessRecord]) -> None:
        # A flat copy of each row's fields (`asdict` would deep-copy every value, datetimes included).
        values = [{name: getattr(row, name) for name in _RECORD_FIELDS} for row in batch]
        for delay in (*_RETRY_DELAYS, None):
            try:
                async with self._db.sessions.begin() as session:
                    await session.execute(insert(AccessAudit), values)
                AUDIT_ROWS.labels("written").inc(len(batch))
                return
            except Exception:
                _log.exception("audit.write_failed", rows=len(batch), will_retry=delay is not None)
                if delay is None or self._stopping:
                    break
                await asyncio.sleep(delay)
        AUDIT_ROWS.labels("dropped").inc(len(batch))
        _log.error("audit.rows_dropped", rows=len(batch), reason="database_unavailable")


class AuditMiddleware:
    """Pure ASGI, inside RequestContextMiddleware (which set the request id); records once the response ended."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in _UNAUDITED:
            await self.app(scope, receive, send)
            return
        status = 500
        started = time.perf_counter()
        occurred_at = datetime.now(UTC)

        async def send_and_note(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        finally:
            self._record(scope, status, occurred_at, time.perf_counter() - started)

    def _record(self, scope: Scope, status: int, occurred_at: datetime, elapsed: float) -> None:
        # The writer lives as long as the lifespan, not the app object: look it up per request.
        writer = getattr(getattr(scope.get("app"), "state", None), "audit", None)
        if not isinstance(writer, AuditWriter):
            return  # the lifespan has not run (or already ended): nothing to write with
        state = scope.get("state") or {}
        principal = state.get("principal")
        client = scope.get("client")
        writer.record(
            AccessRecord(
                occurred_at=occurred_at,
                request_id=str(state.get("request_id", ""))[:128],
                subject=principal.subject if isinstance(principal, Principal) else None,
                principal_kind=principal.kind.value if isinstance(principal, Principal) else None,
                method=str(scope.get("method", ""))[:16],
                path=scope["path"],  # the path alone: the query string never reaches the audit
                status=status,
                service=state.get("route_service"),
                source_ip=client[0][:64] if client else None,
                duration_ms=round(elapsed * 1000, 2),
            )
        )
