"""Monthly payment rosters (花名表) per county, their lines and items, the sealed CSV a locked roster is, and the
one-off batches paid with them (DOMAIN.md §9, CONTRACTS.md §3)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, Date, DateTime, Index, Integer, LargeBinary, Text, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from services.disbursement.db import Base


class RosterStatus(StrEnum):
    DRAFT = "draft"  # built from the ledger; rebuilt at will
    LOCKED = "locked"  # immutable: its CSV and checksum are fixed
    SUBMITTED = "submitted"  # to finance, due by the 5th of its month
    PAID = "paid"  # every line reported paid
    PARTIALLY_FAILED = "partially_failed"  # every line reported, some failed
    RECONCILED = "reconciled"  # checked and closed by the county
    CANCELLED = "cancelled"  # a draft or locked roster withdrawn before submission


# Finance sees a roster from its submission on (CONTRACTS.md §3).
FINANCE_VISIBLE = (
    RosterStatus.SUBMITTED.value,
    RosterStatus.PAID.value,
    RosterStatus.PARTIALLY_FAILED.value,
    RosterStatus.RECONCILED.value,
)


class Roster(Base):
    __tablename__ = "rosters"

    id: Mapped[str] = mapped_column(Text, primary_key=True)
    region_code: Mapped[str] = mapped_column(Text)  # the county
    period: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(Text)
    ledger_version: Mapped[int] = mapped_column(BigInteger)
    line_count: Mapped[int] = mapped_column(Integer)
    total_fen: Mapped[int] = mapped_column(BigInteger)
    # Per program: lines, and fen by item kind (regular, arrears, one_off, recovery) and in all (the funding letter).
    totals: Mapped[dict[str, Any]] = mapped_column(JSONB)
    held: Mapped[dict[str, Any]] = mapped_column(JSONB)  # entitlements left off, by hold kind
    due_date: Mapped[dt.date] = mapped_column(Date)
    built_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    built_by: Mapped[str] = mapped_column(Text)
    checksum: Mapped[str | None] = mapped_column(Text)
    export_bytes: Mapped[int | None] = mapped_column(BigInteger)
    export_chunks: Mapped[int | None] = mapped_column(Integer)
    export_chunk_lines: Mapped[int | None] = mapped_column(Integer)
    locked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    locked_by: Mapped[str | None] = mapped_column(Text)
    submitted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    submitted_by: Mapped[str | None] = mapped_column(Text)
    paid_lines: Mapped[int] = mapped_column(Integer, default=0)
    paid_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    failed_lines: Mapped[int] = mapped_column(Integer, default=0)
    failed_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    reconciled_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    reconciled_by: Mapped[str | None] = mapped_column(Text)
    reconciliation: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    cancelled_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    cancelled_by: Mapped[str | None] = mapped_column(Text)
    cancel_reason: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        # One roster per county and month; a cancelled one makes room for its replacement.
        Index(None, "region_code", "period", unique=True, postgresql_where=text("status <> 'cancelled'")),
        Index(None, "period", "status"),
    )


class LineStatus(StrEnum):
    PENDING = "pending"
    PAID = "paid"
    FAILED = "failed"


class RosterLine(Base):
    """One payee's payment under one program in one roster; `amount_fen` = `regular_fen` + its items."""

    __tablename__ = "roster_lines"

    line_id: Mapped[str] = mapped_column(Text, primary_key=True)
    roster_id: Mapped[str] = mapped_column(Text)
    line_no: Mapped[int] = mapped_column(Integer)
    period: Mapped[dt.date] = mapped_column(Date)
    household_id: Mapped[str] = mapped_column(Text)
    entitlement_id: Mapped[str] = mapped_column(Text)
    program: Mapped[str] = mapped_column(Text)
    region_code: Mapped[str] = mapped_column(Text)
    payee_name: Mapped[str] = mapped_column(Text)
    # The payee's identity number and the whole account number are in the roster's sealed export only: written once
    # at lock, the one copy finance reads, as JSON pages or CSV.
    bank_code: Mapped[str] = mapped_column(Text)
    account_no_masked: Mapped[str] = mapped_column(Text)
    # The month's regular amount (the roster's own month); arrears, one-offs and deductions are `line_items`.
    regular_fen: Mapped[int] = mapped_column(BigInteger)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(Text)
    paid_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    bank_txn_id: Mapped[str | None] = mapped_column(Text)
    failure_reason: Mapped[str | None] = mapped_column(Text)
    reported_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        Index(None, "roster_id", "line_no", unique=True),
        Index(None, "entitlement_id", "period"),
    )


class RosterSettle(Base):
    """An entitlement a roster looked at again from an earlier month: locking the roster ends that look-back."""

    __tablename__ = "roster_settles"

    roster_id: Mapped[str] = mapped_column(Text, primary_key=True)
    entitlement_id: Mapped[str] = mapped_column(Text, primary_key=True)


class ItemKind(StrEnum):
    REGULAR = "regular"  # the roster month's amount (held on the line itself)
    ARREARS = "arrears"  # 补发: an earlier month owed (late approval, failed payment, released hold, raise)
    ONE_OFF = "one_off"  # e.g. 价格临时补贴, from a one-off batch
    RECOVERY = "recovery"  # 追回: a deduction towards a recovery order (negative)


class LineItem(Base):
    __tablename__ = "line_items"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    line_id: Mapped[str] = mapped_column(Text, index=True)
    roster_id: Mapped[str] = mapped_column(Text)
    entitlement_id: Mapped[str] = mapped_column(Text, index=True)
    kind: Mapped[str] = mapped_column(Text)
    month: Mapped[dt.date | None] = mapped_column(Date)  # arrears: the month paid
    one_off_id: Mapped[str | None] = mapped_column(Text)
    recovery_id: Mapped[str | None] = mapped_column(Text, index=True)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    note: Mapped[str] = mapped_column(Text)


class RosterExport(Base):
    """A locked roster's CSV (CONTRACTS.md §3) in sealed chunks: the bytes finance streams are the bytes the checksum
    was taken of, and account numbers stay encrypted at rest."""

    __tablename__ = "roster_exports"

    roster_id: Mapped[str] = mapped_column(Text, primary_key=True)
    chunk_no: Mapped[int] = mapped_column(Integer, primary_key=True)
    body: Mapped[bytes] = mapped_column(LargeBinary)


class OneOffBasis(StrEnum):
    PER_HOUSEHOLD = "per_household"
    PER_MEMBER = "per_member"


class OneOffBatch(Base):
    """A one-off payment for a program in a region and month (价格临时补贴, a festival subsidy): on the roster of that
    month for every household the program pays then; owed later to one held then."""

    __tablename__ = "one_off_batches"

    id: Mapped[str] = mapped_column(Text, primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    program: Mapped[str] = mapped_column(Text)
    region_prefix: Mapped[str] = mapped_column(Text)
    period: Mapped[dt.date] = mapped_column(Date)
    basis: Mapped[str] = mapped_column(Text)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(Text)

    __table_args__ = (Index(None, "program", "period"),)
