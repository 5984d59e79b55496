"""Prometheus metrics shared by every process (served at /metrics)."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

HTTP_REQUESTS = Counter("jiuzhu_http_requests_total", "HTTP requests", ["service", "method", "route", "status"])
HTTP_LATENCY = Histogram(
    "jiuzhu_http_request_seconds",
    "HTTP request latency",
    ["service", "method", "route"],
    buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
OUTBOX_PUBLISHED = Counter("jiuzhu_outbox_published_total", "Events published by the outbox relay", ["service"])
OUTBOX_RELAY_ERRORS = Counter("jiuzhu_outbox_relay_errors_total", "Failed relay batches", ["service"])
JOB_RUNS = Counter("jiuzhu_job_runs_total", "Scheduled job ticks by outcome", ["service", "job", "outcome"])
EVENTS_HANDLED = Counter("jiuzhu_events_handled_total", "Events handled", ["service", "consumer", "type", "outcome"])
