"""The access audit never loses a row, and it can be read back (issue 17, high: "the access audit can be erased
without logging in": a path holding NUL failed its all-or-nothing batch, and after three retries the batch was
dropped with the rows of other people's requests, a bank-account reveal among them)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from gateway.audit.access import AuditWriter
from libs.devstack.stack import DevStack
from tests.gateway.harness import (
    RunningGateway,
    ServiceProcess,
    assert_problem,
    gateway_settings,
    new_staff,
    running_gateway,
    unique_ip,
)
from tests.gateway.upstream_stub import StubUpstream

REVEAL = "/api/v1/disbursement/households/h-77/bank-account/reveal"


@pytest.fixture(scope="module")
async def noted(stack: DevStack, intake: ServiceProcess, admin_ready: None) -> AsyncIterator[RunningGateway]:
    """A gateway whose disbursement answers like a service that just revealed a bank account."""
    upstream = StubUpstream("echo", extra_headers=[("X-Jiuzhu-Audit", "bank_account.revealed household/h-77")])
    url = await upstream.start()
    try:
        async with running_gateway(gateway_settings(stack, intake.url, disbursement_url=url)) as gw:
            yield gw
    finally:
        await upstream.close()


async def _rows(engine: AsyncEngine, where: str, **params: Any) -> list[dict[str, Any]]:
    async with engine.connect() as conn:
        sql = f"SELECT * FROM gateway.access_audit WHERE {where} ORDER BY id"  # noqa: S608 - the tests' own where
        result = await conn.execute(text(sql), params)
        return [dict(r) for r in result.mappings()]


async def test_a_nul_path_beside_a_reveal_loses_neither_row(
    noted: RunningGateway, admin_token: str, engine: AsyncEngine
) -> None:
    officer = await new_staff(noted, admin_token, ["county_officer"], "140402")
    ip = unique_ip()
    async with noted.client(ip, token=officer.token) as staff, noted.client(ip) as anonymous:
        reveal, *attacks = await asyncio.gather(
            staff.post(REVEAL, json={"reason": "核对发放失败"}),
            *(anonymous.get(f"/api/v1/anything%00{n}") for n in range(5)),
            anonymous.get("/api/v1/%ED%A0%80x"),  # an unpaired surrogate once decoded
        )
    assert reveal.status_code == 200
    assert "x-jiuzhu-audit" not in reveal.headers  # the note is for the audit, not for the caller
    assert all(a.status_code in (404, 422) for a in attacks)
    await noted.app.state.audit.flush()

    rows = await _rows(engine, "source_ip = :ip", ip=ip)
    assert len(rows) == 7
    [revealed] = [r for r in rows if r["action"] == "bank_account.revealed"]
    assert (revealed["target"], revealed["path"], revealed["principal_region"]) == ("household/h-77", REVEAL, "140402")
    nul_paths = [r["path"] for r in rows if r["path"].startswith("/api/v1/anything")]
    assert sorted(nul_paths) == [f"/api/v1/anything\\x00{n}" for n in range(5)]


async def test_a_row_the_database_refuses_alone_is_written_in_a_plainer_form(
    stack: DevStack, engine: AsyncEngine
) -> None:
    """Defence in depth: even a row that got past the cleaning and fails on its own does not take its batch down."""
    from datetime import UTC, datetime

    from gateway.audit.access import AccessRecord
    from gateway.db import SCHEMA
    from libs.kernel.db import Database

    tag = f"plain-{uuid.uuid4().hex}"
    db = Database(gateway_settings(stack, "http://unused"), SCHEMA)
    writer = AuditWriter(db, batch_size=10, interval_seconds=60, queue_limit=10)

    def row(n: int, path: str) -> AccessRecord:
        return AccessRecord(datetime.now(UTC), f"{tag}-{n}", None, None, "GET", path, 404, None, "10.0.0.9", 1.0)

    try:
        for n, path in enumerate(["/ok", "/bad\x00raw", "/ok-too"]):  # written as given: the middleware cleans
            assert await writer.reserve()
            writer.record(row(n, path))
        await writer.flush()
    finally:
        await writer.stop()
        await db.dispose()
    rows = await _rows(engine, "request_id LIKE :t", t=f"{tag}-%")
    assert [r["path"] for r in rows] == ["/ok", "/bad\\x00raw", "/ok-too"]


async def test_the_audit_is_read_back_by_administrators_and_supervisors_inside_their_jurisdiction(
    noted: RunningGateway, admin_token: str
) -> None:
    officer = await new_staff(noted, admin_token, ["county_officer"], "140402")
    other = await new_staff(noted, admin_token, ["county_officer"], "150102")
    async with noted.client(token=officer.token) as staff:
        assert (await staff.post(REVEAL, json={"reason": "核对"})).status_code == 200
    async with noted.client(token=other.token) as staff:
        assert (await staff.post(REVEAL, json={"reason": "核对"})).status_code == 200
    await noted.app.state.audit.flush()
    supervisor = await new_staff(noted, admin_token, ["city_supervisor"], "1404")
    query: dict[str, str | int] = {"action": "bank_account.revealed", "target": "household/h-77", "limit": 1000}
    async with noted.client(token=supervisor.token) as client:
        mine = await client.get("/api/v1/admin/audit/access", params=query)
        refused = await client.get("/api/v1/admin/audit/access", params={"since": "0001-01-01T00:00:00+00:00"})
    async with noted.client(token=officer.token) as client:
        not_auditor = await client.get("/api/v1/admin/audit/access")
    async with noted.client(token=admin_token) as client:
        everything = await client.get("/api/v1/admin/audit/access", params=query)
        acts = await client.get("/api/v1/admin/audit/actions", params={"action": "user_created", "limit": 2})
    assert mine.status_code == 200, mine.text
    regions = {item["principal_region"] for item in mine.json()["items"]}
    assert regions == {"140402"}  # the city's own staff only
    assert {item["principal_region"] for item in everything.json()["items"]} >= {"140402", "150102"}
    assert_problem(refused, 422, "validation_failed")
    assert_problem(not_auditor, 403, "role_required")
    assert acts.status_code == 200
    assert all(a["action"] == "user_created" for a in acts.json()["items"])
    assert len(acts.json()["items"]) == 2
    assert acts.json()["next_cursor"]
