"""Readiness across the services, the access audit, and the migration matching the models."""

from __future__ import annotations

import functools
import operator
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from gateway.audit.access import AccessAudit, AccessRecord, AuditWriter
from gateway.auth.models import User
from gateway.db import SCHEMA, Base
from libs.devstack.processes import free_port
from libs.devstack.stack import DevStack
from libs.kernel.db import Database
from tests.gateway.harness import (
    RunningGateway,
    ServiceProcess,
    assert_problem,
    gateway_settings,
    new_partner,
    new_staff,
    running_gateway,
    unique_ip,
)
from tests.gateway.upstream_stub import StubUpstream
from tests.support.schema_drift import schema_drift
from tests.support.waiting import wait_until


async def test_ready_when_the_database_and_every_service_are(gateway: RunningGateway) -> None:
    async with gateway.client() as client:
        reply = await client.get("/readyz")
        alive = await client.get("/healthz")
        token = gateway.settings.metrics_token
        assert token is not None, "the test stack gives every process JIUZHU_METRICS_TOKEN"
        metrics = await client.get("/metrics", headers={"Authorization": f"Bearer {token.get_secret_value()}"})
    assert reply.status_code == 200, reply.text
    assert reply.json()["checks"] == dict.fromkeys(
        ("database", "intake", "casework", "matching", "complaints", "disbursement"), "ok"
    )
    assert alive.status_code == 200
    assert "jiuzhu_http_requests_total" in metrics.text


async def test_not_ready_while_one_service_is_down_or_hanging(stack: DevStack, intake: ServiceProcess) -> None:
    hanging = StubUpstream("hang")
    hanging_url = await hanging.start()
    settings = gateway_settings(
        stack, intake.url, disbursement_url=f"http://127.0.0.1:{free_port()}", matching_url=hanging_url,
        readiness_timeout_seconds=0.5,
    )  # fmt: skip
    try:
        async with running_gateway(settings) as gw, gw.client() as client:
            reply = await client.get("/readyz")
    finally:
        await hanging.close()
    assert reply.status_code == 503, reply.text
    checks = reply.json()["checks"]
    assert checks["disbursement"] == "unavailable: UpstreamUnreachable"
    assert checks["matching"] == "unavailable: UpstreamTimeout"
    assert checks["intake"] == checks["database"] == "ok"


async def _audit_rows(engine: AsyncEngine, request_id: str) -> list[dict[str, Any]]:
    async with engine.connect() as conn:
        result = await conn.execute(text("SELECT * FROM gateway.access_audit WHERE request_id = :r"), {"r": request_id})
        return [dict(row) for row in result.mappings()]


async def test_proxied_and_refused_requests_are_audited_without_query_strings(
    stack: DevStack, intake: ServiceProcess, engine: AsyncEngine, admin_token: str
) -> None:
    ip = unique_ip()
    ok_id, refused_id, login_id = (f"audit-{uuid.uuid4().hex}" for _ in range(3))
    async with running_gateway(gateway_settings(stack, intake.url)) as gw:
        staff = await new_staff(gw, admin_token, ["county_officer"], "140402")
        partner = await new_partner(gw, admin_token, ["hotline"], "1404")
        async with gw.client(ip, token=staff.token) as client:
            ok = await client.get(
                "/api/v1/intake/diagnostics/whoami",
                params={"region_code": "140402001", "name": "张三", "id_number": "140402198001011234"},
                headers={"X-Request-ID": ok_id},
            )
        async with gw.client(ip, token=partner.token) as client:
            refused = await client.get(
                "/api/v1/intake/diagnostics/whoami", params={"q": "secret"}, headers={"X-Request-ID": refused_id}
            )
        async with gw.client(ip) as client:
            await client.post(
                "/api/v1/auth/token",
                data={"grant_type": "password", "username": staff.username, "password": staff.password},
                headers={"X-Request-ID": login_id},
            )
        await gw.app.state.audit.flush()
    assert ok.status_code == 200
    assert_problem(refused, 403, "staff_only")
    [row] = await _audit_rows(engine, ok_id)
    assert row["path"] == "/api/v1/intake/diagnostics/whoami"
    assert (row["method"], row["status"], row["service"], row["source_ip"]) == ("GET", 200, "intake", ip)
    assert (row["principal_kind"], row["subject"]) == ("staff", staff_subject(gw, staff.token))
    assert row["duration_ms"] >= 0
    assert row["occurred_at"] is not None
    [denied] = await _audit_rows(engine, refused_id)
    assert (denied["status"], denied["principal_kind"], denied["subject"]) == (403, "client", partner.client_id)
    [login] = await _audit_rows(engine, login_id)
    assert (login["path"], login["status"], login["principal_kind"]) == ("/api/v1/auth/token", 200, "staff")
    # This test's rows (its own source address): other tests in the session, fuzzing among them, may well send paths
    # holding a "?" or "1234" of their own (percent-encoded in a path segment, not a query string).
    async with engine.connect() as conn:
        leaked = await conn.scalar(
            text(
                "SELECT count(*) FROM gateway.access_audit"
                " WHERE source_ip = :ip AND (path LIKE '%?%' OR path LIKE '%1234%')"
            ),
            {"ip": ip},
        )
    assert leaked == 0


def staff_subject(gw: RunningGateway, token: str) -> str:
    return gw.app.state.runtime.access_tokens.verify(token).principal.subject  # type: ignore[no-any-return]


async def test_the_audit_queue_is_flushed_on_shutdown(
    stack: DevStack, intake: ServiceProcess, engine: AsyncEngine, gateway_schema: None
) -> None:
    request_id = f"shutdown-{uuid.uuid4().hex}"
    # A long flush interval: only the shutdown flush can have written the row.
    settings = gateway_settings(stack, intake.url, audit_flush_interval_seconds=3600, audit_batch_size=10_000)
    async with running_gateway(settings) as gw, gw.client() as client:
        await client.get("/api/v1/intake/diagnostics/whoami", headers={"X-Request-ID": request_id})
    [row] = await _audit_rows(engine, request_id)
    assert (row["status"], row["subject"]) == (401, None)


async def test_the_migration_matches_the_models(engine: AsyncEngine, gateway_schema: None) -> None:
    assert AccessAudit.__table__ is not None
    assert User.__table__ is not None

    assert await schema_drift(engine, SCHEMA, Base.metadata, platform=False) == []


def _record(request_id: str) -> AccessRecord:
    return AccessRecord(datetime.now(UTC), request_id, None, None, "GET", "/x", 200, None, "10.0.0.1", 1.0)


def _written(engine: AsyncEngine, tag: str) -> Callable[[], Awaitable[int]]:
    """How many audit rows of this test (request ids starting with `tag`) are in the table."""

    async def count() -> int:
        async with engine.connect() as conn:
            sql = text("SELECT count(*) FROM gateway.access_audit WHERE request_id LIKE :t")
            return int(await conn.scalar(sql, {"t": f"{tag}-%"}) or 0)

    return count


async def test_the_audit_writer_batches_in_the_background(stack: DevStack, engine: AsyncEngine) -> None:
    db = Database(gateway_settings(stack, "http://unused"), SCHEMA)
    tag = f"writer-{uuid.uuid4().hex}"
    writer = AuditWriter(db, batch_size=100, interval_seconds=0.05, queue_limit=1000)
    writer.start()
    try:
        for n in range(250):
            assert await writer.reserve()
            writer.record(_record(f"{tag}-{n}"))
        # No flush() here: the background task alone writes them, in batches of at most 100.
        assert await wait_until(_written(engine, tag), lambda n: n == 250) == 250
    finally:
        await writer.stop()
        await db.dispose()


async def test_a_single_row_is_written_within_the_flush_interval(stack: DevStack, engine: AsyncEngine) -> None:
    """A quiet gateway's rows are written too, not only when a batch fills (under `make run` none was: the writer
    slept until 500 rows had queued)."""
    db = Database(gateway_settings(stack, "http://unused"), SCHEMA)
    tag = f"single-{uuid.uuid4().hex}"
    writer = AuditWriter(db, batch_size=500, interval_seconds=0.05, queue_limit=1000)
    writer.start()
    try:
        for n in (1, 2):  # the second after the writer went back to sleep on an empty queue
            assert await writer.reserve()
            writer.record(_record(f"{tag}-{n}"))
            written = await wait_until(_written(engine, tag), functools.partial(operator.eq, n), timeout=10)
            assert written == n
    finally:
        await writer.stop()
        await db.dispose()


async def test_a_full_audit_refuses_to_reserve_rather_than_drop(stack: DevStack, engine: AsyncEngine) -> None:
    """Back-pressure, not loss: with every place taken, a new row waits for one and is refused when none frees up
    (the request is then answered 503 unserved); every row that had a place is written."""
    db = Database(gateway_settings(stack, "http://unused"), SCHEMA)
    tag = f"full-{uuid.uuid4().hex}"
    full = AuditWriter(db, batch_size=10, interval_seconds=60, queue_limit=5, reserve_timeout_seconds=0.05)
    try:
        for n in range(5):
            assert await full.reserve()
            full.record(_record(f"{tag}-{n}"))
        assert not await full.reserve()  # nothing written yet (no writer task): no place left
        await full.flush()  # written: the places are free again
        assert await full.reserve()
        full.record(_record(f"{tag}-after"))
        await full.flush()
        async with engine.connect() as conn:
            sql = text("SELECT count(*) FROM gateway.access_audit WHERE request_id LIKE :t")
            assert await conn.scalar(sql, {"t": f"{tag}-%"}) == 6
    finally:
        await full.stop()
        await db.dispose()
