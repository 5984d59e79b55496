"""Traces with OpenTelemetry across the gateway, the services and events: off unless an OTLP endpoint is set.

Off (the default), nothing of the SDK is imported or started: `enabled()` is a module flag, no middleware is
installed, events carry no `traceparent` and consumers open no span, so tracing costs a request nothing.

On (`OTEL_EXPORTER_OTLP_ENDPOINT`, or `JIUZHU_OTEL_EXPORTER_OTLP_ENDPOINT`), each process exports its spans over
OTLP/HTTP in batches. The gateway starts every trace (a caller's `traceparent` is not trusted: it drops it) and sends
its own W3C `traceparent` to the service; a service continues it, and an event written while a span is current
carries it as the CloudEvents extension attribute `traceparent` (optional: consumers ignore what they do not know);
a consumer handling that event continues the trace in its own span.

The provider is this module's, not the OpenTelemetry global, so a test can install an in-memory exporter and take
it out again.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from opentelemetry import trace
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator
from starlette.types import ASGIApp, Message, Receive, Scope, Send

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SpanExporter

_PROPAGATOR = TraceContextTextMapPropagator()
_provider: TracerProvider | None = None
_tracer: trace.Tracer | None = None


def enabled() -> bool:
    return _tracer is not None


def configure_tracing(service: str, endpoint: str | None, *, exporter: SpanExporter | None = None) -> bool:
    """Start the SDK for this process if an endpoint (or, in tests, an exporter) is given; returns whether it did.

    Once per process: a second call keeps the first provider (the gateway and a service in one test process share
    it; each span names its service in `jiuzhu.service`).
    """
    global _provider, _tracer
    if _tracer is not None:
        return True
    if not endpoint and exporter is None:
        return False
    # Imported only here, so a process with tracing off never loads the SDK.
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor

    provider = TracerProvider(resource=Resource.create({"service.name": f"jiuzhu-{service}"}))
    if exporter is not None:
        provider.add_span_processor(SimpleSpanProcessor(exporter))
    else:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        assert endpoint is not None
        traces = endpoint.rstrip("/") + "/v1/traces"
        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=traces)))
    _provider, _tracer = provider, provider.get_tracer("jiuzhu")
    return True


def shutdown_tracing() -> None:
    """Flush and stop the SDK (a test's in-memory exporter, or a process at its end)."""
    global _provider, _tracer
    provider, _provider, _tracer = _provider, None, None
    if provider is not None:
        provider.shutdown()


def current_traceparent() -> str | None:
    """The W3C `traceparent` of the current span, for an event or an upstream request; None when off."""
    if _tracer is None:
        return None
    carrier: dict[str, str] = {}
    _PROPAGATOR.inject(carrier)
    return carrier.get("traceparent")


@contextlib.contextmanager
def span(
    name: str, *, service: str, traceparent: str | None = None, kind: trace.SpanKind = trace.SpanKind.INTERNAL
) -> Iterator[trace.Span | None]:
    """A span continuing `traceparent` (a new trace without one); does nothing at all when tracing is off."""
    if _tracer is None:
        yield None
        return
    parent = _PROPAGATOR.extract({"traceparent": traceparent}) if traceparent else None
    with _tracer.start_as_current_span(name, context=parent, kind=kind) as current:
        current.set_attribute("jiuzhu.service", service)
        yield current


def event_traceparent(extensions: Mapping[str, Any] | None) -> str | None:
    value = (extensions or {}).get("traceparent")
    return value if isinstance(value, str) else None


class TracingMiddleware:
    """A server span per HTTP request, continuing the `traceparent` the caller sent; installed only when on."""

    def __init__(self, app: ASGIApp, *, service: str, trust_incoming: bool = True) -> None:
        self.app = app
        self.service = service
        # The gateway faces the outside: it starts its own traces rather than joining one a caller names.
        self.trust_incoming = trust_incoming

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or _tracer is None:
            await self.app(scope, receive, send)
            return
        incoming = None
        if self.trust_incoming:
            for key, value in scope["headers"]:
                if key == b"traceparent":
                    incoming = value.decode("latin-1")
                    break
        with span(
            str(scope["method"]), service=self.service, traceparent=incoming, kind=trace.SpanKind.SERVER
        ) as current:
            assert current is not None

            async def send_with_status(message: Message) -> None:
                if message["type"] == "http.response.start":
                    current.set_attribute("http.response.status_code", int(message["status"]))
                await send(message)

            current.set_attribute("http.request.method", str(scope["method"]))
            try:
                await self.app(scope, receive, send_with_status)
            finally:
                # Named by the route's template once routing found it: a path can hold an identifier.
                route = getattr(scope.get("route"), "path", None)
                current.update_name(f"{scope['method']} {route or 'unrouted'}")
