"""The diagnostics endpoints and health routes of a real service app (intake, API role), in process."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import delete, event, func, select

from libs.contracts.staff import StaffRole
from libs.devstack.stack import DevStack
from libs.kernel.auth import INTERNAL_HEADER, InternalTokens, Principal, PrincipalKind
from libs.kernel.db import Database
from libs.kernel.events import CloudEvent
from libs.kernel.service import create_service_app
from services.intake.definition import DEFINITION as INTAKE

ADMIN = Principal("u-admin", PrincipalKind.staff, "Administrator", "", frozenset({StaffRole.system_admin.value}))
TOWNSHIP = Principal(
    "u-town", PrincipalKind.staff, "Township officer", "330102001", frozenset({StaffRole.township_officer.value})
)
OUTBOX = INTAKE.tables.outbox


class Intake:
    def __init__(self, client: httpx.AsyncClient, tokens: InternalTokens, db: Database) -> None:
        self.client, self.tokens, self.db = client, tokens, db

    def as_(self, principal: Principal) -> dict[str, str]:
        return {INTERNAL_HEADER: self.tokens.sign(principal)}

    async def outbox_rows(self, probe_id: str) -> list[Any]:
        async with self.db.sessions() as s:
            result = await s.execute(
                select(OUTBOX.c.key, OUTBOX.c.payload, OUTBOX.c.sent_at).where(OUTBOX.c.key.like(f"{probe_id}:%"))
            )
            return list(result.all())


@pytest.fixture
async def intake(stack: DevStack) -> AsyncIterator[Intake]:
    settings = INTAKE.settings().with_overrides(role="api")
    app = create_service_app(INTAKE, settings)
    tokens = InternalTokens(settings.internal_token_secret.get_secret_value())
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app)
        async with httpx.AsyncClient(transport=transport, base_url="http://intake") as client:
            yield Intake(client, tokens, app.state.db)


async def test_an_administrator_sends_probes_through_the_outbox(intake: Intake) -> None:
    probe_id = uuid.uuid4().hex
    response = await intake.client.post(
        "/api/v1/intake/diagnostics/probes",
        json={"count": 5, "probe_id": probe_id},
        headers={**intake.as_(ADMIN), "X-Request-ID": "req-probe-1"},
    )

    assert response.status_code == 202
    assert response.json() == {"probe_id": probe_id, "count": 5}
    rows = await intake.outbox_rows(probe_id)
    events = sorted((CloudEvent.from_bytes(r.payload) for r in rows), key=lambda e: int(e.data["seq"]))
    assert [e.data["seq"] for e in events] == [0, 1, 2, 3, 4]
    assert {(e.type, e.source, e.subject, e.correlationid) for e in events} == {
        ("platform-probe", "intake", f"probe/{probe_id}", "req-probe-1")
    }
    assert all(r.sent_at is None for r in rows)  # the API role runs no relay: published later by a worker


async def test_a_township_officer_may_not_send_probes(intake: Intake) -> None:
    probe_id = uuid.uuid4().hex
    response = await intake.client.post(
        "/api/v1/intake/diagnostics/probes", json={"count": 3, "probe_id": probe_id}, headers=intake.as_(TOWNSHIP)
    )

    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "role_required"
    assert await intake.outbox_rows(probe_id) == []


@pytest.mark.parametrize(
    "body",
    [
        {"count": 0},
        {"count": 20_000},
        {"count": -1},
        {"count": "many"},
        {"count": 2, "probe_id": "has spaces"},
        {"count": 2, "probe_id": "x" * 65},
    ],
    ids=["zero", "too-many", "negative", "not-a-number", "bad-probe-id", "probe-id-too-long"],
)
async def test_a_bad_probe_request_is_a_422_and_writes_nothing(intake: Intake, body: dict[str, object]) -> None:
    probe_id = uuid.uuid4().hex
    payload = {"probe_id": probe_id, **body}
    async with intake.db.sessions() as s:
        before = await s.scalar(select(func.count()).select_from(OUTBOX))

    response = await intake.client.post("/api/v1/intake/diagnostics/probes", json=payload, headers=intake.as_(ADMIN))

    assert response.status_code == 422
    assert response.json()["code"] == "validation_failed"
    assert await intake.outbox_rows(probe_id) == []
    async with intake.db.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(OUTBOX)) == before


async def test_whoami_reports_the_forwarded_principal(intake: Intake) -> None:
    response = await intake.client.get(
        "/api/v1/intake/diagnostics/whoami", params={"region_code": "330102001001"}, headers=intake.as_(TOWNSHIP)
    )

    assert response.status_code == 200
    assert response.json() == {
        "subject": "u-town",
        "kind": "staff",
        "name": "Township officer",
        "region_prefix": "330102001",
        "roles": ["township_officer"],
        "scopes": [],
        "service": "intake",
    }


async def test_whoami_outside_the_jurisdiction_is_refused(intake: Intake) -> None:
    response = await intake.client.get(
        "/api/v1/intake/diagnostics/whoami", params={"region_code": "330102002001"}, headers=intake.as_(TOWNSHIP)
    )

    assert response.status_code == 403
    assert response.json()["code"] == "outside_jurisdiction"


async def test_no_principal_is_a_401(intake: Intake) -> None:
    for method, path in (("GET", "whoami"), ("POST", "probes"), ("GET", "probes/abc")):
        response = await intake.client.request(method, f"/api/v1/intake/diagnostics/{path}", json={"count": 1})
        assert response.status_code == 401
        assert response.json()["code"] == "missing_principal"


async def test_health_readiness_and_metrics(intake: Intake) -> None:
    assert (await intake.client.get("/healthz")).json() == {"status": "ok"}

    ready = await intake.client.get("/readyz")
    assert ready.status_code == 200
    # An API process never talks to the broker (it writes to its outbox), so only the database gates it.
    assert ready.json() == {"status": "ready", "checks": {"database": "ok", "training_clock": "ok"}}

    await intake.client.get("/api/v1/intake/diagnostics/whoami")  # a 401, counted under its route template
    token = INTAKE.settings().metrics_token
    assert token is not None, "the test stack gives every process JIUZHU_METRICS_TOKEN"
    metrics = await intake.client.get("/metrics", headers={"Authorization": f"Bearer {token.get_secret_value()}"})
    assert metrics.status_code == 200
    assert metrics.headers["content-type"].startswith("text/plain")
    wanted = {"service": "intake", "method": "GET", "route": "/api/v1/intake/diagnostics/whoami", "status": "401"}
    counted = [
        sample.value
        for family in text_string_to_metric_families(metrics.text)
        for sample in family.samples
        if sample.name == "jiuzhu_http_requests_total" and sample.labels == wanted
    ]
    assert counted
    assert counted[0] >= 1


async def test_a_worker_process_is_ready_only_when_the_broker_answers(stack: DevStack) -> None:
    app = create_service_app(INTAKE, INTAKE.settings().with_overrides(role="worker"))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://intake") as client:
            ready = await client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready", "checks": {"database": "ok", "training_clock": "ok", "broker": "ok"}}


async def test_the_most_probes_a_request_may_ask_for_are_written_in_a_few_statements(intake: Intake) -> None:
    """10,000 probes were 10,000 INSERTs and as many NOTIFYs, one round trip each: on a loaded machine the request
    outlasted the gateway's 30 s and was a 504 (found by tests/e2e/test_fuzz_staff.py)."""
    probe_id = uuid.uuid4().hex
    statements: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    engine = intake.db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        response = await intake.client.post(
            "/api/v1/intake/diagnostics/probes", json={"count": 10_000, "probe_id": probe_id}, headers=intake.as_(ADMIN)
        )
    finally:
        event.remove(engine, "before_cursor_execute", record)

    try:
        assert response.status_code == 202, response.text
        assert len(await intake.outbox_rows(probe_id)) == 10_000
        assert len(statements) < 20, len(statements)
    finally:
        # Never published (the API role runs no relay): left behind, the next test that runs intake's relay would
        # publish these 10,000 first, and a consumer waiting for its own events would wait behind them.
        async with intake.db.sessions.begin() as s:
            await s.execute(delete(OUTBOX).where(OUTBOX.c.key.like(f"{probe_id}:%")))
