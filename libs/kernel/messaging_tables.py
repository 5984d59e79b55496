"""The outbox, inbox and dead-letter tables every service owns in its own schema."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Table,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import UUID


def outbox_table(metadata: MetaData) -> Table:
    return Table(
        "outbox",
        metadata,
        Column("id", BigInteger, primary_key=True, autoincrement=True),  # publication order
        Column("event_id", UUID(as_uuid=False), nullable=False, unique=True),
        Column("topic", Text, nullable=False),
        Column("key", Text, nullable=False),
        Column("payload", LargeBinary, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("sent_at", DateTime(timezone=True)),
        Column("attempts", Integer, nullable=False, server_default=text("0")),
        Column("last_error", Text),
        # The relay only ever scans unsent rows: a partial index keeps that cheap however large the history grows.
        Index("ix_outbox_unsent", "id", postgresql_where=text("sent_at IS NULL")),
        Index("ix_outbox_created_at", "created_at"),
    )


def inbox_table(metadata: MetaData) -> Table:
    return Table(
        "inbox",
        metadata,
        # Deduplicate on the event id only: offsets restart from 0 when the development broker restarts.
        # Text, not uuid: CloudEvents ids are any string, and a foreign id must not make the claim itself fail.
        Column("event_id", Text, primary_key=True),
        Column("consumer", Text, primary_key=True),
        Column("event_type", Text, nullable=False),
        Column("received_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        # Pruning (libs.kernel.pruning) deletes the rows past the retention, oldest first, in batches.
        Index("ix_inbox_received_at", "received_at"),
    )


def dead_letter_table(metadata: MetaData) -> Table:
    return Table(
        "dead_letters",
        metadata,
        Column("id", BigInteger, primary_key=True, autoincrement=True),
        Column("consumer", Text, nullable=False),
        Column("topic", Text, nullable=False),
        Column("partition", Integer, nullable=False),
        Column("offset", BigInteger, nullable=False),
        Column("event_id", Text),
        Column("payload", LargeBinary, nullable=False),
        Column("error", Text, nullable=False),
        Column("attempts", Integer, nullable=False),
        Column("failed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("resolved_at", DateTime(timezone=True)),
    )


def probe_receipts_table(metadata: MetaData) -> Table:
    # Deliberately no unique constraint: a duplicate delivery must show up here as a second row.
    return Table(
        "probe_receipts",
        metadata,
        Column("id", BigInteger, primary_key=True, autoincrement=True),
        Column("probe_id", Text, nullable=False, index=True),
        Column("seq", Integer, nullable=False),
        Column("event_id", Text, nullable=False),
        Column("source", Text, nullable=False),
        Column("sent_at", DateTime(timezone=True), nullable=False),
        Column("received_at", DateTime(timezone=True), nullable=False, server_default=func.clock_timestamp()),
    )


def training_clock_table(metadata: MetaData) -> Table:
    # One row (id 1) at most: the training clock's offset as the gateway last delivered it (libs.kernel.training_clock).
    return Table(
        "training_clock",
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=False),
        Column("offset_days", Integer, nullable=False),
        # The gateway's version of the setting: a delivery older than the one kept changes nothing.
        Column("version", BigInteger, nullable=False),
        Column("set_at", DateTime(timezone=True), nullable=False),
        Column("received_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    )


def region_names_table(metadata: MetaData) -> Table:
    # The gateway's region names as it last delivered them (libs.kernel.region_names): what documents and ledgers
    # print instead of codes, kept in the service's own schema so printing never waits on the gateway.
    return Table(
        "region_names",
        metadata,
        Column("code", Text, primary_key=True),
        Column("name", Text, nullable=False),
        # The gateway's revision of this name: a delivery older than the one kept changes nothing.
        Column("revision", BigInteger, nullable=False),
        Column("received_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    )


class MessagingTables:
    """The platform tables of one service schema."""

    def __init__(self, metadata: MetaData) -> None:
        self.outbox = outbox_table(metadata)
        self.inbox = inbox_table(metadata)
        self.dead_letters = dead_letter_table(metadata)
        self.probe_receipts = probe_receipts_table(metadata)
        self.training_clock = training_clock_table(metadata)
        self.region_names = region_names_table(metadata)
