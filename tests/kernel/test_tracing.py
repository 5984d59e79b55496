"""Traces: a request into intake, the event it writes and casework's consumer of it make one trace; off, nothing."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import pytest
from aiokafka import ConsumerRecord
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind
from sqlalchemy import select

from gateway.proxy import _DROP_UP, filter_headers
from libs.contracts.staff import StaffRole
from libs.devstack.stack import DevStack
from libs.kernel import tracing
from libs.kernel.auth import INTERNAL_HEADER, InternalTokens, Principal, PrincipalKind
from libs.kernel.consumer import EventConsumer
from libs.kernel.diagnostics import PROBE_EVENT_TYPE, probe_event, probe_handler
from libs.kernel.events import CloudEvent
from libs.kernel.service import create_service_app
from services.casework.definition import DEFINITION as CASEWORK
from services.intake.definition import DEFINITION as INTAKE
from tests.support.workers import runtime_of

ADMIN = Principal("u-admin", PrincipalKind.staff, "Administrator", "", frozenset({StaffRole.system_admin.value}))
OUTBOX = INTAKE.tables.outbox


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    tracing.configure_tracing("test", None, exporter=exporter)
    try:
        yield exporter
    finally:
        tracing.shutdown_tracing()


def _record(payload: bytes) -> ConsumerRecord[bytes, bytes]:
    return ConsumerRecord(
        topic=PROBE_EVENT_TYPE, partition=0, offset=0, timestamp=0, timestamp_type=0, key=b"k", value=payload,
        checksum=None, serialized_key_size=1, serialized_value_size=len(payload), headers=(),
    )  # fmt: skip


async def test_a_request_its_event_and_the_consumer_make_one_trace(
    stack: DevStack, spans: InMemorySpanExporter
) -> None:
    settings = INTAKE.settings().with_overrides(role="api")
    app = create_service_app(INTAKE, settings)
    tokens = InternalTokens(settings.internal_token_secret.get_secret_value())
    probe_id = uuid.uuid4().hex
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://intake") as client:
            # What the gateway's proxy does (gateway.proxy.forward): its span's traceparent on the upstream request.
            with tracing.span("gateway", service="gateway", kind=SpanKind.SERVER):
                traceparent = tracing.current_traceparent()
                assert traceparent is not None
                response = await client.post(
                    "/api/v1/intake/diagnostics/probes",
                    json={"count": 1, "probe_id": probe_id},
                    headers={INTERNAL_HEADER: tokens.sign(ADMIN), "traceparent": traceparent},
                )
        assert response.status_code == 202
        async with app.state.db.sessions() as s:
            payload = await s.scalar(select(OUTBOX.c.payload).where(OUTBOX.c.key.like(f"{probe_id}:%")))
    assert payload is not None
    event = CloudEvent.from_bytes(payload)
    trace_id = traceparent.split("-")[1]
    assert (event.model_extra or {}).get("traceparent", "").split("-")[1] == trace_id

    async with runtime_of(CASEWORK) as casework:
        consumer = EventConsumer(
            "platform",
            casework.db,
            CASEWORK.tables,
            casework.settings,
            {PROBE_EVENT_TYPE: probe_handler(CASEWORK.tables)},
        )
        await consumer.process(_record(payload))

    finished = spans.get_finished_spans()
    by_name = {s.name: s for s in finished}
    assert {"gateway", "POST /api/v1/intake/diagnostics/probes", f"consume {PROBE_EVENT_TYPE}"} <= set(by_name)
    assert {format(s.context.trace_id, "032x") for s in by_name.values()} == {trace_id}
    server = by_name["POST /api/v1/intake/diagnostics/probes"]
    assert server.kind is SpanKind.SERVER
    assert server.attributes is not None
    assert server.attributes["http.response.status_code"] == 202
    consumed = by_name[f"consume {PROBE_EVENT_TYPE}"]
    assert consumed.parent is not None
    assert consumed.parent.span_id == server.context.span_id  # the event was written inside the request's span


def test_off_by_default_nothing_is_traced_and_events_carry_no_traceparent(stack: DevStack) -> None:
    assert not tracing.enabled()
    assert tracing.current_traceparent() is None
    event = probe_event("p", 0, source="intake")
    assert "traceparent" not in (event.model_extra or {})
    assert b"traceparent" not in event.to_bytes()
    app = create_service_app(INTAKE, INTAKE.settings().with_overrides(role="api"))
    assert all(getattr(m, "cls", None) is not tracing.TracingMiddleware for m in app.user_middleware)


def test_the_gateway_does_not_pass_a_callers_trace_context_on() -> None:
    headers = [(b"traceparent", b"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"), (b"tracestate", b"x=1")]
    assert filter_headers([*headers, (b"accept", b"*/*")], _DROP_UP) == [(b"accept", b"*/*")]
