"""Shapes of the feed API (CONTRACTS.md §5)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel


class RejectOut(BaseModel):
    row: int
    reason: str


class FeedOut(BaseModel):
    feed_id: str
    source: str
    as_of: dt.date
    status: str
    rows_total: int
    rows_loaded: int
    rows_rejected: int
    # The first rejects, by row; `rejects_next_cursor` pages on through `/feeds/{feed_id}/rejects`.
    rejects: list[RejectOut]
    rejects_next_cursor: str | None = None
    hits_raised: int
    deaths_raised: int
    received_at: dt.datetime
    loaded_at: dt.datetime | None
    finished_at: dt.datetime | None
    error: str | None = None
    # Why a failed feed failed, as a stable code (services.matching.feeds.models.FeedFailure).
    failure: str | None = None


class UploadOut(BaseModel):
    """An upload waiting for its body: PUT it to `upload_url` (a path under the API's base address)."""

    feed_id: str
    upload_url: str
    source: str
    as_of: dt.date
    status: str


class SourceOut(BaseModel):
    source: str
    label: str
    columns: list[str]
    frequency: str
    snapshot: bool
    last_run_at: dt.datetime | None
    next_run_at: dt.datetime | None
    latest_feeds: list[FeedOut]
