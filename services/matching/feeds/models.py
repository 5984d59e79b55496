"""Registry feeds as received (CONTRACTS.md §5) and their records.

`records` is partitioned by feed: a feed loads into a partition of its own (created just before its COPY), matching
reads one partition at a time, and a superseded feed is dropped whole instead of deleted row by row. A record holds
the person's key (never the identity number), the masked name and the source's columns; a source fills only its own.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import BigInteger, Boolean, Column, Date, Identity, Index, Integer, Table, Text, false, text
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from libs.kernel.column_types import TextKey
from services.matching.db import Base


class FeedStatus(StrEnum):
    RECEIVED = "received"  # the body is awaited (an upload), being loaded, or loaded and waiting for its matching run
    PROCESSING = "processing"  # the matching run is under way
    DONE = "done"
    FAILED = "failed"


class FeedFailure(StrEnum):
    """Why a feed failed (the feed's `failure`; `error` says it in words)."""

    CLIENT_DISCONNECTED = "client_disconnected"  # the provider went away before the body was complete
    UNFRAMED_BODY = "unframed_body"  # a line longer than any row can be: the body cannot be cut into rows
    TOO_MANY_REJECTS = "too_many_rejects"  # mostly rows that cannot be read: loading stopped early
    LOADER_DIED = "loader_died"  # the process loading it died (a crash, a kill): found by the sweep
    UPLOAD_EXPIRED = "upload_expired"  # an upload created but never sent its body
    LOAD_ERROR = "load_error"  # the service could not store it (an internal error)
    MATCHING_FAILED = "matching_failed"  # its matching run failed `feed_max_attempts` times


class Feed(Base):
    __tablename__ = "feeds"

    id: Mapped[TextKey]
    # The partition key of its records: small, dense and never reused.
    feed_no: Mapped[int] = mapped_column(Identity(), unique=True)
    source: Mapped[str]
    as_of: Mapped[dt.date]
    # None until an upload's body arrives (the two-step upload names its format with the PUT).
    body_format: Mapped[str | None]
    status: Mapped[str]
    client_id: Mapped[str]
    client_name: Mapped[str | None]
    # The provider's jurisdiction (the client's region prefix): its rows act only on people there (CONTRACTS.md §5,
    # 2026-12). None on feeds received before it was recorded: those act on no one.
    provider_region: Mapped[str | None]
    # The provider's Idempotency-Key, if it sent one, and the SHA-256 of the body once loaded: the same key again
    # with the same body answers with this feed; another body under it is a conflict.
    idempotency_key: Mapped[str | None]
    body_sha256: Mapped[str | None]
    # Created by `POST /feeds/uploads` and waiting for its body (the PUT).
    awaiting_body: Mapped[bool] = mapped_column(default=False, server_default=false())
    rows_total: Mapped[int] = mapped_column(default=0)
    rows_loaded: Mapped[int] = mapped_column(default=0)
    rows_rejected: Mapped[int] = mapped_column(default=0)
    # When the last block of the body was stored: an upload that stops making progress is given up (the worker).
    progress_at: Mapped[dt.datetime | None]
    # Set once the body is completely in: the worker only runs loaded feeds.
    loaded_at: Mapped[dt.datetime | None]
    hits_raised: Mapped[int] = mapped_column(Integer, default=0)
    deaths_raised: Mapped[int] = mapped_column(Integer, default=0)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None]
    failure: Mapped[str | None]
    received_at: Mapped[dt.datetime]
    started_at: Mapped[dt.datetime | None]
    finished_at: Mapped[dt.datetime | None]
    # Records of a feed superseded by newer ones of its source are dropped; the feed row and its hits stay.
    purged_at: Mapped[dt.datetime | None]
    indexed: Mapped[bool] = mapped_column(default=False)

    __table_args__ = (
        Index(None, "source", "status", "as_of"),
        Index(None, "status", "received_at"),
        Index(
            "uq_feeds_client_id_idempotency_key",
            "client_id",
            "idempotency_key",
            unique=True,
            postgresql_where=text("idempotency_key IS NOT NULL"),
        ),
    )


class FeedReject(Base):
    __tablename__ = "feed_rejects"

    feed_id: Mapped[TextKey]
    row: Mapped[int] = mapped_column(primary_key=True)
    reason: Mapped[str]


records = Table(
    "records",
    Base.metadata,
    Column("feed_no", BigInteger, nullable=False),
    Column("row_no", BigInteger, nullable=False),
    Column("person", UUID(as_uuid=True), nullable=False),
    Column("name_masked", Text),
    Column("event_date", Date),
    Column("start_date", Date),
    Column("end_date", Date),
    Column("status", Text),
    Column("monthly_amount_fen", BigInteger),
    Column("plate", Text),
    Column("vehicle_type", Text),
    Column("registered_at", Date),
    Column("deregistered", Boolean),
    Column("property_id", Text),
    Column("acquired_at", Date),
    Column("acquisition", Text),
    Column("kind", Text),
    Column("credit_code", Text),
    Column("flight_date", Date),
    Column("route", Text),
    postgresql_partition_by="LIST (feed_no)",
)


def partition_name(feed_no: int) -> str:
    return f"records_f{feed_no}"
