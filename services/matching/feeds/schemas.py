"""Shapes of the feed API (CONTRACTS.md §5)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel

from services.matching.feeds.models import Feed


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

    @classmethod
    def of(cls, feed: Feed, rejects: list[RejectOut], next_cursor: str | None = None) -> FeedOut:
        return cls(
            feed_id=feed.id,
            source=feed.source,
            as_of=feed.as_of,
            status=feed.status,
            rows_total=feed.rows_total,
            rows_loaded=feed.rows_loaded,
            rows_rejected=feed.rows_rejected,
            rejects=rejects,
            rejects_next_cursor=next_cursor,
            hits_raised=feed.hits_raised,
            deaths_raised=feed.deaths_raised,
            received_at=feed.received_at,
            loaded_at=feed.loaded_at,
            finished_at=feed.finished_at,
            error=feed.error,
            failure=feed.failure,
        )


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
