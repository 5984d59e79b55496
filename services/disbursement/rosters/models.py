"""Monthly payment rosters (花名表) per county, their lines and items, the sealed CSV a locked roster is, and the
one-off batches paid with them (DOMAIN.md §9, CONTRACTS.md §3)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import Index, Integer, text
from sqlalchemy.orm import Mapped, mapped_column

from libs.kernel.column_types import SerialKey, TextKey
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


class RosterKind(StrEnum):
    MONTHLY = "monthly"  # the county's roster of a month, built from the ledger
    # An off-cycle payment order of one temporary grant (临时救助): one line, submitted as it is made (issue 20).
    TEMPORARY = "temporary"


class Roster(Base):
    __tablename__ = "rosters"

    id: Mapped[TextKey]
    kind: Mapped[str]  # RosterKind
    region_code: Mapped[str]  # the county
    period: Mapped[dt.date]
    status: Mapped[str]
    ledger_version: Mapped[int]
    line_count: Mapped[int] = mapped_column(Integer)
    total_fen: Mapped[int]
    # Per program: lines, and fen by item kind (regular, arrears, one_off, recovery) and in all (the funding letter).
    totals: Mapped[dict[str, Any]]
    held: Mapped[dict[str, Any]]  # entitlements left off, by hold kind
    due_date: Mapped[dt.date]
    built_at: Mapped[dt.datetime]
    built_by: Mapped[str]
    checksum: Mapped[str | None]
    export_bytes: Mapped[int | None]
    export_chunks: Mapped[int | None] = mapped_column(Integer)
    export_chunk_lines: Mapped[int | None] = mapped_column(Integer)
    locked_at: Mapped[dt.datetime | None]
    locked_by: Mapped[str | None]
    submitted_at: Mapped[dt.datetime | None]
    submitted_by: Mapped[str | None]
    paid_lines: Mapped[int] = mapped_column(Integer, default=0)
    paid_fen: Mapped[int] = mapped_column(default=0)
    failed_lines: Mapped[int] = mapped_column(Integer, default=0)
    failed_fen: Mapped[int] = mapped_column(default=0)
    reconciled_at: Mapped[dt.datetime | None]
    reconciled_by: Mapped[str | None]
    reconciliation: Mapped[dict[str, Any] | None]
    cancelled_at: Mapped[dt.datetime | None]
    cancelled_by: Mapped[str | None]
    cancel_reason: Mapped[str | None]

    __table_args__ = (
        # One monthly roster per county and month; a cancelled one makes room for its replacement. Payment orders of
        # temporary grants are as many as the grants.
        Index(
            None,
            "region_code",
            "period",
            unique=True,
            postgresql_where=text("status <> 'cancelled' AND kind = 'monthly'"),
        ),
        Index(None, "period", "status"),
    )


class LineStatus(StrEnum):
    PENDING = "pending"
    PAID = "paid"
    FAILED = "failed"


class RosterLine(Base):
    """One payee's payment under one program in one roster; `amount_fen` = `regular_fen` + its items."""

    __tablename__ = "roster_lines"

    line_id: Mapped[TextKey]
    roster_id: Mapped[str]
    line_no: Mapped[int] = mapped_column(Integer)
    period: Mapped[dt.date]
    household_id: Mapped[str]
    # The entitlement a monthly line pays; none on a temporary grant's line, which names its grant instead.
    entitlement_id: Mapped[str | None]
    grant_id: Mapped[str | None]
    grant_attempt: Mapped[int | None] = mapped_column(Integer)
    program: Mapped[str]
    region_code: Mapped[str]
    payee_name: Mapped[str]
    # The payee's identity number and the whole account number are in the roster's sealed export only: written once
    # at lock, the one copy finance reads, as JSON pages or CSV.
    bank_code: Mapped[str]
    account_no_masked: Mapped[str]
    # A grant's line has no entitlement to read the payee from at lock: its payee part of the export row (identity
    # number, bank, account), sealed as `Entitlement.export_sealed` is, from the grant's event.
    payee_sealed: Mapped[str | None]
    # The month's regular amount (the roster's own month); arrears, one-offs and deductions are `line_items`.
    regular_fen: Mapped[int]
    amount_fen: Mapped[int]
    status: Mapped[str]
    paid_at: Mapped[dt.datetime | None]
    bank_txn_id: Mapped[str | None]
    failure_reason: Mapped[str | None]
    reported_at: Mapped[dt.datetime | None]

    __table_args__ = (
        Index(None, "roster_id", "line_no", unique=True),
        # Lines are found by their entitlement by equality alone; a roster's lines arrive in random entitlement
        # order, which a hash index takes several times faster than a B-tree (issue 23).
        Index(None, "entitlement_id", postgresql_using="hash"),
        # Only a grant's line names a grant: a monthly roster's lines stay out of this index (issue 23).
        Index(None, "grant_id", postgresql_where=text("grant_id IS NOT NULL")),
    )


class RosterSettle(Base):
    """An entitlement a roster looked at again from an earlier month: locking the roster ends that look-back."""

    __tablename__ = "roster_settles"

    roster_id: Mapped[TextKey]
    entitlement_id: Mapped[TextKey]


class ItemKind(StrEnum):
    REGULAR = "regular"  # the roster month's amount (held on the line itself)
    ARREARS = "arrears"  # 补发: an earlier month owed (late approval, failed payment, released hold, raise)
    ONE_OFF = "one_off"  # e.g. 价格临时补贴, from a one-off batch
    RECOVERY = "recovery"  # 追回: a deduction towards a recovery order (negative)


class LineItem(Base):
    __tablename__ = "line_items"

    id: Mapped[SerialKey]
    line_id: Mapped[str] = mapped_column(index=True)
    roster_id: Mapped[str]
    entitlement_id: Mapped[str] = mapped_column(index=True)
    kind: Mapped[str]
    month: Mapped[dt.date | None]  # arrears: the month paid
    one_off_id: Mapped[str | None]
    recovery_id: Mapped[str | None] = mapped_column(index=True)
    amount_fen: Mapped[int]
    note: Mapped[str]


class RosterExport(Base):
    """A locked roster's CSV (CONTRACTS.md §3) in sealed chunks: the bytes finance streams are the bytes the checksum
    was taken of, and account numbers stay encrypted at rest."""

    __tablename__ = "roster_exports"

    roster_id: Mapped[TextKey]
    chunk_no: Mapped[int] = mapped_column(Integer, primary_key=True)
    body: Mapped[bytes]


class OneOffBasis(StrEnum):
    PER_HOUSEHOLD = "per_household"
    PER_MEMBER = "per_member"


class OneOffBatch(Base):
    """A one-off payment for a program in a region and month (价格临时补贴, a festival subsidy): on the roster of that
    month for every household the program pays then; owed later to one held then."""

    __tablename__ = "one_off_batches"

    id: Mapped[TextKey]
    name: Mapped[str]
    program: Mapped[str]
    region_prefix: Mapped[str]
    period: Mapped[dt.date]
    basis: Mapped[str]
    amount_fen: Mapped[int]
    created_at: Mapped[dt.datetime]
    created_by: Mapped[str]

    __table_args__ = (Index(None, "program", "period"),)
