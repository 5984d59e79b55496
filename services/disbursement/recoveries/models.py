"""Recovery orders (追回): money paid for months not due, deducted from later payments or collected (DOMAIN.md §9)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import BigInteger, Date, DateTime, Index, Text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from services.disbursement.db import Base


class RecoveryStatus(StrEnum):
    OPEN = "open"
    RECOVERED = "recovered"  # deducted and collected in full
    WAIVED = "waived"  # the rest written off by the county, with the reason


class Recovery(Base):
    __tablename__ = "recoveries"

    id: Mapped[str] = mapped_column(Text, primary_key=True)
    household_id: Mapped[str] = mapped_column(Text, index=True)
    entitlement_id: Mapped[str] = mapped_column(Text, index=True)
    county_code: Mapped[str] = mapped_column(Text)
    program: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)  # OverpaymentReason
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    months: Mapped[list[dt.date]] = mapped_column(ARRAY(Date))
    detail: Mapped[str] = mapped_column(Text)
    detected_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    collected_fen: Mapped[int] = mapped_column(BigInteger)
    waived_fen: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(Text)
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    closed_by: Mapped[str | None] = mapped_column(Text)
    waive_reason: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (Index(None, "county_code", "status", "detected_at"),)


class RecoveryMonth(Base):
    """How much of one month's payment an order recovers: that month counts as settled again."""

    __tablename__ = "recovery_months"

    recovery_id: Mapped[str] = mapped_column(Text, primary_key=True)
    month: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    entitlement_id: Mapped[str] = mapped_column(Text, index=True)
    amount_fen: Mapped[int] = mapped_column(BigInteger)


class RecoveryCollection(Base):
    """Money paid back outside the rosters (cash, a transfer), recorded by county staff."""

    __tablename__ = "recovery_collections"

    id: Mapped[str] = mapped_column(Text, primary_key=True)
    recovery_id: Mapped[str] = mapped_column(Text, index=True)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    received_on: Mapped[dt.date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    recorded_by: Mapped[str] = mapped_column(Text)
