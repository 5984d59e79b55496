"""Matching's own Prometheus counters (served at /metrics with the shared ones of libs.kernel.metrics)."""

from __future__ import annotations

from prometheus_client import Counter

# Rows a registry sent about people watched outside its region: refused, listed for staff (CONTRACTS.md §5).
OUTSIDE_REGION_ROWS = Counter(
    "jiuzhu_matching_outside_region_rows_total", "Feed rows refused as outside the provider's region", ["source"]
)
FEEDS_FAILED = Counter("jiuzhu_matching_feeds_failed_total", "Feeds failed, by why", ["source", "failure"])
